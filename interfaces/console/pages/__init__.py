"""One module per console page; each reads through the API's own route functions."""
