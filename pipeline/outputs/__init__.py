"""Outputs: the contract tables, the workbook, the report, the draft høringsnotat, masked for sharing."""
