"""Reports across office days, derived from the event log (issue 11).

`register` folds one day's events into one row per visit; `summaries` keeps a small per-day
digest of that register beside the day's stream (rebuildable, never the truth);
`period` folds digests into a period report; `exports` writes its tables as CSV and XLSX.
Everything except `summaries.SummaryService` is pure: events or digests in, frozen data out.
"""
