"""公示牌: the signboards of reaches, their QR codes and printable boards (issue 19)."""
