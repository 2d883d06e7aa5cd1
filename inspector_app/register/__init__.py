"""Reading enterprise registers as Chinese offices export them (XLSX, CSV in UTF-8 or GB18030)."""
