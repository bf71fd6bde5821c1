"""Patrols (巡河): uploaded GPS tracks matched to river segments, coverage and compliance."""
