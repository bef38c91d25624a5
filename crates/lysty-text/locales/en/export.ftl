## Exports of letters and figures (staff page and `lysty export`).

export-nav = Export
export-title = Export data
export-lead = The campaign's letters and figures as a CSV file (for spreadsheets) or JSON (for programs). Tracking codes are never exported: they are the writers' secret.
export-what = What to export
export-what-letters = Letters
export-letters-hint = Without the writers' personal data. Columns: { $columns }.
export-what-stats = Campaign statistics
export-stats-hint = The figures of the statistics page: the total, and by month, city, country, source, state, event and prisoner.
export-format = Format
export-format-csv = CSV — for Excel, LibreOffice, Google Sheets
export-format-json = JSON — for programs
export-personal-legend = Writers' personal data
export-personal-warning = This file holds the names, email addresses and letters of the people who wrote. Their safety depends on it never reaching the wrong hands: keep it only on an encrypted drive, do not send it by email or messenger, and delete it as soon as it is no longer needed. The export is recorded in the audit log under your name.
export-personal-label = Include the writers' personal data (columns { $columns })
export-audit-note = Every export is recorded in the audit log: who, when, what and in which format.
export-submit = Download the file
export-error-choose = Choose what to export and in which format.
export-error-personal-letters-only = The writers' personal data can be exported only with letters, not with statistics.
