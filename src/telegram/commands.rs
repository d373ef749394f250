//! Registers the command menu (`setMyCommands`) in every language of the dialog files.

use crate::dialog::Catalog;
use crate::domain::Lang;
use teloxide::prelude::Requester;
use teloxide::types::BotCommand;
use teloxide::Bot;

/// Sets the menu for Vietnamese (also the default for every other language) and English.
/// A failure is logged, not fatal: the bot works without a menu.
pub async fn register(bot: &Bot, catalog: &Catalog) {
    for (lang, code) in [
        (Lang::Vi, None),
        (Lang::Vi, Some("vi")),
        (Lang::En, Some("en")),
    ] {
        let commands: Vec<BotCommand> = catalog
            .commands
            .iter()
            .map(|c| BotCommand::new(c.name.clone(), c.description.get(lang)))
            .collect();
        let mut request = bot.set_my_commands(commands);
        if let Some(code) = code {
            request.language_code = Some(code.to_owned());
        }
        if let Err(error) = request.await {
            tracing::warn!(%error, "setMyCommands failed");
        }
    }
}
