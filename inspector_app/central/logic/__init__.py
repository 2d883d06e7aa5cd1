"""What the server does, independent of HTTP: the routes and the admin commands both call these."""
