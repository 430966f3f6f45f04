"""Qt windows, panes and dialogs: layout here, behaviour in controllers."""
