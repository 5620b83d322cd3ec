"""In-app notifications and e-mail, with each user's preferences."""
