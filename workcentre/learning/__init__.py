"""Learning from what was made: standard times and paces suggested from the tablet reports,
accepted or not by an instructor (docs/reports.md, "Learning from what was made")."""
