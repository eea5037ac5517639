"""`workcentre report --month YYYY-MM [--centre NAME] -o report.xlsx`."""

from __future__ import annotations

import click
from flask import Flask

from ..cli_support import database_errors_as_messages, pick_centre
from .centre import centre_report
from .period import PeriodRefused, month_period
from .workbook import centre_workbook


def register(app: Flask) -> None:
    @app.cli.command("report")
    @click.option("--month", required=True, help="The month, e.g. 2026-11.")
    @click.option("--centre", "centre_name", help="The work centre (when there are several).")
    @click.option("-o", "--output", required=True, help="The workbook to write (.xlsx).")
    @database_errors_as_messages
    def report(month: str, centre_name: str | None, output: str) -> None:
        """Write the centre's report of a month as a workbook, a sheet per section."""
        try:
            period = month_period(month)
        except PeriodRefused as refused:
            raise click.BadParameter(str(refused), param_hint="--month") from None
        centre = pick_centre(centre_name)
        data = centre_workbook(centre_report(centre, period))
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
        click.echo(f"Wrote {output}", err=True)
