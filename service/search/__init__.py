"""One search box for the workbench (issue 15): rivers, places, officials, problems."""
