"""The tablet's languages, chosen by each person and remembered for them.

Selkokieli (easy Finnish) is the default. It and standard Finnish share the Finnish messages,
which are written plainly for the tablet; they differ in the task's name (selkokieli shows the
task type's easy name, standard Finnish its own name) and in how fast the tablet reads aloud.
Swedish and English translate the messages; task names and steps are stored in Finnish only.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import session

from ..models import Participant, TaskType

SESSION_KEY = "tablet_language"


@dataclass(frozen=True)
class TabletLanguage:
    code: str
    locale: str  # the catalogue Flask-Babel uses
    name: str  # in the language itself, so its reader finds it whatever the tablet shows now
    greeting: str  # the words in the button's picture
    note: str = ""  # a line under the name, in Finnish for Finnish readers
    speech_rate: str = "0.9"


DEFAULT = "selko"
LANGUAGES = {language.code: language for language in (
    TabletLanguage("selko", "fi", "Selkosuomi", "Moi!", "Helppo suomi", speech_rate="0.75"),
    TabletLanguage("fi", "fi", "Suomi", "Hei!"),
    TabletLanguage("sv", "sv", "Svenska", "Hej!"),
    TabletLanguage("en", "en", "English", "Hi!"),
)}


def language_of(person: Participant) -> TabletLanguage:
    return LANGUAGES.get(person.tablet_language or DEFAULT, LANGUAGES[DEFAULT])


def speak_as(person: Participant) -> None:
    """From now on the tablet speaks the person's language (until "who am I" again)."""
    language = language_of(person)
    session[SESSION_KEY] = language.code
    session["language"] = language.locale


def forget() -> None:
    """Back to the tablet's default language, for the next person."""
    session.pop(SESSION_KEY, None)
    session.pop("language", None)


def current() -> TabletLanguage:
    return LANGUAGES.get(session.get(SESSION_KEY, DEFAULT), LANGUAGES[DEFAULT])


def task_name(kind: TaskType) -> str:
    """Standard Finnish shows the task's own name; the others its easy name, when it has one."""
    if current().code == "fi":
        return kind.name
    return kind.easy_name or kind.name


def choose(person: Participant, code: str) -> bool:
    """Remember the person's language; False (and nothing changed) for a code not offered."""
    if code not in LANGUAGES:
        return False
    person.tablet_language = code
    speak_as(person)
    return True
