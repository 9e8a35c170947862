"""The report filled offline in Excel: the workbook an agency downloads, reading it back, and what it would change.

The workbook carries the report's edit version in a hidden sheet, so that an upload made from an older draft is
shown against the current one before anything is saved. Saving always goes through `report_draft_save`.
"""
