"""How founders reach Sanad: the REST webhook (with channel metadata) and the Telegram bridge."""
