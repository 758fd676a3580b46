"""In-app notifications (通知): a message to one user, written where something happens to them, its sentence
made in the reader's language when shown. No area is imported from here, so every area may notify."""
