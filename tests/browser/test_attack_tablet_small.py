"""Attack pass: the tablet pages in a small 800x600 window (an old tablet, a browser window on
the centre's laptop). The primary actions stay on the screen without scrolling."""

from __future__ import annotations

from . import test_tablet_fits as fits
from .test_tablet_fits import world  # noqa: F401 - the same tablet world


def test_the_primary_actions_fit_a_small_window(app, live_server, browser, world):  # noqa: F811
    fits.test_the_primary_actions_are_on_the_screen(app, live_server, browser, world,
                                                    (800, 600))


def test_the_picture_code_fits_a_small_window(app, live_server, browser, world):  # noqa: F811
    fits.test_the_picture_code_pages_fit(app, live_server, browser, world, (800, 600))
