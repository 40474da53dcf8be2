"""Prompt templates (plain files beside this one), shipped as package data of ragqa.prompts."""
