"""In-app notifications: a table of messages to one user, written by the services where things happen."""
