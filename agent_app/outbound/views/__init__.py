"""The outbound views: widgets that lay out and emit signals, no network or disk."""
