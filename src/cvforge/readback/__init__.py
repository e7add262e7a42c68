"""Read an output as an applicant tracking system (ATS) would, and prove the profile survived it.

A resume that parses badly is rejected without anyone saying so. `check` extracts the text a
parser gets (PDF: pdfminer's text flow, in the order the PDF draws it; DOCX: body paragraphs and
tables in order, hyperlink text included, headers, footers and text boxes not), then looks for every
detail an ATS keys on: name, email, phone, each role's title, organisation and dates, each project
name and each skill, and the roles' order. Reading files is kept apart from verifying text, so
`verify` is pure and `cvforge build --check` can run it on the bytes it is about to write.

One module a job: `normalise` (the text as a parser compares it: Unicode forms, dashes, Arabic),
`search` (finding a detail in it in any form a faithful reader gives), `extract` (the text of a
PDF or DOCX, read in a disposable child), `zipguard` (refusing a DOCX that would cost far more than
a resume to open), `verify` (a resume's details and order) and `letters` (a cover letter's).
"""
