"""Files and archives: paths from attackers, archive extraction, temporary files, permissions
and races between a check and a use."""
