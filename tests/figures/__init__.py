"""Figures (统计): the definitions of what is counted, and the office's daily report counting as
they do, row by row."""
