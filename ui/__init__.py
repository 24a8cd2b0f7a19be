"""The UI layer: translation, controls, URL state and Altair charts. Pages import from here."""
