"""Catalogue data files and the pandera schemas that check tables of the pipeline."""
