"""The enterprise register (企业名册): reading register files (hostile, fuzzed, formula injection),
importing and exporting them, the credit code, searching (SQL and the GUI's in-memory index) and the
``enterprises`` command. Register files are written with tests.support.registers."""
