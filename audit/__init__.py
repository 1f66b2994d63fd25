"""Who changed what: the admin's history pages, shared by every app's admin."""
