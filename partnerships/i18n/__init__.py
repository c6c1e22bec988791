"""The catalogue in its readers' languages: which language a request gets, and dates, numbers and
place names written the way each language writes them."""
