//! The bot's Telegram profile: command menus per place and role (`setMyCommands` with
//! scopes) and its descriptions, all from the dialog files, in Vietnamese and English.
//!
//! Three menus are set for everyone at start-up: every private chat's (organisers), every
//! group chat's, and the descriptions. A director's or supervisor's own menu is set for
//! their chat alone (the chat scope) through the outbox, when the role is given, and reset
//! when it is taken (see `runtime::with_menu_update`), so those calls are sent within the
//! rate limits and survive a crash like any message.
//!
//! Start-up only calls Telegram when something changed: what was set last is kept in the
//! database with the bot's id, so a restart costs no call and another bot on the same
//! database (a new token) is set up again.

use crate::dialog::Catalog;
use crate::domain::{ChatId, Lang};
use crate::roles::Menu;
use crate::store::StoreThread;
use teloxide_core::payloads::{
    DeleteMyCommandsSetters, SetMyCommandsSetters, SetMyDescriptionSetters,
    SetMyShortDescriptionSetters,
};
use teloxide_core::prelude::Requester;
use teloxide_core::types::{BotCommand, BotCommandScope, ChatId as TgChatId, Recipient};
use teloxide_core::{Bot, RequestError};

/// The languages everything is set in: Telegram's default (no language code) in
/// Vietnamese, which every app not in English then shows, and English for English apps.
const LANGUAGES: [(Option<&str>, Lang); 2] = [(None, Lang::Vi), (Some("en"), Lang::En)];

/// The commands of `menus` in `lang`.
fn commands(catalog: &Catalog, menus: &[Menu], lang: Lang) -> Vec<BotCommand> {
    catalog
        .menu(menus)
        .into_iter()
        .map(|c| BotCommand::new(c.name.clone(), c.description.get(lang)))
        .collect()
}

/// Sets the menu of `scope` to the commands of `menus` in every language; an empty menu is
/// deleted instead, so that the scope falls back to a wider one.
async fn set_menu(
    bot: &Bot,
    catalog: &Catalog,
    scope: BotCommandScope,
    menus: &[Menu],
) -> Result<(), RequestError> {
    for (code, lang) in LANGUAGES {
        let commands = commands(catalog, menus, lang);
        if commands.is_empty() {
            let mut request = bot.delete_my_commands().scope(scope.clone());
            if let Some(code) = code {
                request = request.language_code(code);
            }
            request.await?;
        } else {
            let mut request = bot.set_my_commands(commands).scope(scope.clone());
            if let Some(code) = code {
                request = request.language_code(code);
            }
            request.await?;
        }
    }
    Ok(())
}

/// Sets one private chat's own menu (`menus`), or resets it to every private chat's menu
/// when `menus` is empty. The sender's delivery of an `OutOp::Menu` row.
pub async fn set_chat_menu(
    bot: &Bot,
    catalog: &Catalog,
    chat: ChatId,
    menus: &[Menu],
) -> Result<(), RequestError> {
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(TgChatId(chat)),
    };
    set_menu(bot, catalog, scope, menus).await
}

/// What start-up sets, as a text to compare with what was set last: the bot's id, every
/// menu (including the per-chat ones, whose change means they are sent again) and the
/// descriptions.
fn wanted_profile(catalog: &Catalog, bot_id: u64) -> String {
    let menus: serde_json::Map<String, serde_json::Value> = Menu::ALL
        .iter()
        .map(|menu| {
            let commands: Vec<[&str; 3]> = catalog
                .menu(&[*menu])
                .into_iter()
                .map(|c| {
                    [
                        c.name.as_str(),
                        c.description.vi.as_str(),
                        &c.description.en,
                    ]
                })
                .collect();
            (menu.code().to_owned(), serde_json::json!(commands))
        })
        .collect();
    let profile = catalog.profile.as_ref().map(|p| {
        serde_json::json!({
            "description": [p.description.vi, p.description.en],
            "short_description": [p.short_description.vi, p.short_description.en],
        })
    });
    serde_json::json!({ "bot": bot_id, "menus": menus, "profile": profile }).to_string()
}

/// Sets the menus of every private and every group chat and the descriptions, unless
/// they are what was set last; after a change, queues every director's and supervisor's
/// own menu again. A failure is logged, not fatal (the bot works without menus), and is
/// tried again at the next start.
pub async fn sync(bot: &Bot, store: &StoreThread, catalog: &Catalog, bot_id: u64) {
    let wanted = wanted_profile(catalog, bot_id);
    match store.read(|tx| tx.telegram_profile()).await {
        Ok(Some(set)) if set == wanted => {
            tracing::debug!("command menus and descriptions unchanged");
            return;
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot read the menus set last; setting them"),
    }
    if let Err(error) = set_profile(bot, catalog).await {
        tracing::warn!(%error, "setting the command menus or descriptions failed; trying again at the next start");
        return;
    }
    let result = store
        .write(move |tx| {
            tx.set_telegram_profile(&wanted)?;
            crate::runtime::queue_managers_menus(tx)
        })
        .await;
    match result {
        Ok(queued) => tracing::info!(
            own_menus = queued,
            "command menus and descriptions set; directors' and supervisors' menus queued"
        ),
        Err(error) => tracing::warn!(%error, "cannot record the menus set"),
    }
}

/// The calls of [`sync`]: two menus and two descriptions, each in both languages.
async fn set_profile(bot: &Bot, catalog: &Catalog) -> Result<(), RequestError> {
    set_menu(
        bot,
        catalog,
        BotCommandScope::AllPrivateChats,
        &[Menu::Private],
    )
    .await?;
    set_menu(bot, catalog, BotCommandScope::AllGroupChats, &[Menu::Group]).await?;
    let Some(profile) = &catalog.profile else {
        return Ok(());
    };
    for (code, lang) in LANGUAGES {
        let mut request = bot
            .set_my_description()
            .description(profile.description.get(lang));
        if let Some(code) = code {
            request = request.language_code(code);
        }
        request.await?;
        let mut request = bot
            .set_my_short_description()
            .short_description(profile.short_description.get(lang));
        if let Some(code) = code {
            request = request.language_code(code);
        }
        request.await?;
    }
    Ok(())
}
