PASSWORD = "correct horse battery"
