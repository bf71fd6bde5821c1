"""The roster: officials, liaison units, departments and who is responsible for which river when."""
