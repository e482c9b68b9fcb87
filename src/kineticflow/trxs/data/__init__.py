"""Files shipped with the TRXS branch (the example data a user starts from live in resources/)."""
