"""The HTTP API (FastAPI). The OpenAPI document it serves is the contract with the laptops."""
