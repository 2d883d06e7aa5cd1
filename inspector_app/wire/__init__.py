"""The sync wire format: the documents that travel between a laptop and the central office."""
