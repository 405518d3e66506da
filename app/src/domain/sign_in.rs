//! The sign-in limits (pure: counts and time are passed in). Failures are counted per client address and per
//! account in a window. An address is stopped hard after a few failures; an account is only slowed down, by a
//! delay that grows with its failures, so that nobody can keep a member out by failing on purpose: the right
//! password, typed from another address, always opens the session. And where a sign-in returns: the team page
//! that was asked for, never an address elsewhere.

/// The window failures are counted in, in seconds.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failures an address may make in the window; the next attempt is refused (429).
pub const MAX_ADDRESS_FAILURES: i64 = 5;
/// Failures an account may have in the window before its attempts are slowed down.
pub const FREE_ACCOUNT_FAILURES: i64 = 3;
/// The longest wait before an account's password is checked, in seconds.
pub const MAX_DELAY_SECONDS: u64 = 30;

/// What to do with a sign-in attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throttle {
    /// The address failed too often: refuse, whatever the password.
    Refuse,
    /// Check the password after this many seconds (0: at once).
    Wait(u64),
}

/// The decision for an attempt, from the failures already counted in the window before it.
pub fn throttle(address_failures: i64, account_failures: i64) -> Throttle {
    if address_failures >= MAX_ADDRESS_FAILURES {
        Throttle::Refuse
    } else {
        Throttle::Wait(account_delay(account_failures))
    }
}

/// The wait before checking the password of an account with `failures` in the window: none for the first
/// few, then 1, 2, 4… seconds, at most `MAX_DELAY_SECONDS`.
pub fn account_delay(failures: i64) -> u64 {
    if failures < FREE_ACCOUNT_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_ACCOUNT_FAILURES).min(6) as u32;
    (1_u64 << doublings).min(MAX_DELAY_SECONDS)
}

/// The part of a client address that limits count: an IPv4 address whole, an IPv6 address by its /64 (one
/// subscriber's network: a client holds all of it and could change address at each attempt otherwise).
pub fn limited_address(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        _ => address.to_string(),
    }
}

/// The key failures of a client address are counted under.
pub fn address_key(address: &str) -> String {
    format!("ip:{}", limited_address(address))
}

/// Password resets an account may be sent in the window; more requests get the same answer and no email.
pub const MAX_RESETS_PER_ACCOUNT: i64 = 3;

/// The keys the "Mot de passe oublié" requests of an address and for an account are counted under.
pub fn reset_keys(address: &str, email: &str) -> (String, String) {
    (format!("oubli:{}", limited_address(address)), format!("oubli:{email}"))
}

/// The key the attempts of an address to use a one-time link (invitation, reset) are counted under, apart
/// from its sign-ins.
pub fn link_address_key(address: &str) -> String {
    format!("lien:{}", limited_address(address))
}

/// The key failures of an account (its lower-cased email) are counted under.
pub fn account_key(email: &str) -> String {
    format!("compte:{email}")
}

/// Where a successful sign-in leads: the page asked for (`retour`) when it is a team page of this site, the
/// team's home otherwise. Only a path of this site is followed (one leading `/`, not `//` nor `/\`, no control
/// character, at most 2,000 characters): an address elsewhere is never a destination (no open redirect).
pub fn return_path(asked: Option<&str>) -> &str {
    returning(asked, crate::routes::TEAM_HOME, crate::routes::is_team_page)
}

/// Where an agent's sign-in returns: the page of the collectivité's space asked for, else its home.
pub fn agent_return_path(asked: Option<&str>) -> &str {
    returning(asked, crate::routes::AGENT_HOME, crate::routes::is_agent_page)
}

/// `asked` if it is a same-site path to a page `of_space`; `home` otherwise.
fn returning<'a>(asked: Option<&'a str>, home: &'a str, of_space: fn(&str) -> bool) -> &'a str {
    let Some(asked) = asked.map(str::trim) else {
        return home;
    };
    let same_site = asked.starts_with('/')
        && !asked.starts_with("//")
        && !asked.starts_with("/\\")
        && asked.len() <= 2_000
        && !asked.chars().any(|c| c.is_control() || c == '\\');
    let path = asked.split(['?', '#']).next().unwrap_or_default();
    if same_site && of_space(path) {
        asked
    } else {
        home
    }
}

/// Whether a member of `role` may sign in with a password, given the roles an administrator turned passwords
/// off for; the break-glass administrator always may. The refusal says what to do instead.
pub fn password_allowed(role: super::auth::Role, off: &[super::auth::Role], break_glass: bool) -> Result<(), String> {
    if break_glass || !off.contains(&role) {
        return Ok(());
    }
    Err(format!(
        "La connexion par mot de passe est désactivée pour les comptes « {} » : utilisez « S'identifier avec \
         ProConnect ». En cas de difficulté, écrivez à un administrateur de l'IA Factory.",
        role.label()
    ))
}

/// Whether an account may be named the break-glass administrator: an active administrator with a password.
pub fn may_be_break_glass(role: super::auth::Role, disabled: bool, has_password: bool) -> bool {
    role == super::auth::Role::Admin && !disabled && has_password
}

/// Whether an administrator may turn passwords off (`off`) or back on for `role`: off needs ProConnect offered
/// on this service (or nobody of that role could sign in) and, for the administrators, a break-glass
/// administrator named first (who keeps their password).
pub fn check_password_policy(
    role: super::auth::Role,
    off: bool,
    proconnect_offered: bool,
    break_glass_named: bool,
) -> Result<(), String> {
    if !off {
        return Ok(());
    }
    if !proconnect_offered {
        return Err(format!(
            "« {} » : ProConnect n'est pas proposé sur ce service ; sans mot de passe, ces comptes ne pourraient \
             plus se connecter. Configurez d'abord ProConnect.",
            role.label()
        ));
    }
    if role == super::auth::Role::Admin && !break_glass_named {
        return Err(format!(
            "« {} » : désignez d'abord l'administrateur de secours, qui garde son mot de passe si ProConnect est \
             indisponible.",
            role.label()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_returns_to_a_team_page_of_this_site_only() {
        assert_eq!(return_path(None), "/equipe");
        assert_eq!(return_path(Some("/equipe/tableau")), "/equipe/tableau");
        let case_page = format!("{}?enregistre=avis#avis", crate::routes::case("IAF-2026-00001").page());
        assert_eq!(return_path(Some(&case_page)), case_page);
        for elsewhere in [
            "https://ailleurs.example/equipe",
            "//ailleurs.example/equipe",
            "/\\ailleurs.example",
            "/equipe/\\ailleurs",
            "javascript:alert(1)",
            "equipe/tableau",
            "/equipe/tableau\nLocation: https://ailleurs.example",
            "",
            "/catalogue",
            "/equipe/connexion?retour=/equipe",
            "/equipes",
        ] {
            assert_eq!(return_path(Some(elsewhere)), "/equipe", "{elsewhere:?}");
        }
        assert_eq!(return_path(Some(&format!("/equipe/{}", "a".repeat(2_001)))), "/equipe");
    }

    #[test]
    fn an_agent_sign_in_returns_to_a_page_of_the_collectivite_space_only() {
        assert_eq!(agent_return_path(None), "/collectivite");
        assert_eq!(agent_return_path(Some("/collectivite?vue=1")), "/collectivite?vue=1");
        for elsewhere in [
            "https://ailleurs.example/collectivite",
            "//ailleurs.example/collectivite",
            "/equipe/tableau",
            "/collectivite/connexion",
            "/collectivites",
        ] {
            assert_eq!(agent_return_path(Some(elsewhere)), "/collectivite", "{elsewhere:?}");
        }
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_network() {
        assert_eq!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(address_key("2001:db8:1:2::1"), "ip:2001:db8:1:2::/64");
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("198.51.100.7"), "ip:198.51.100.7");
        assert_eq!(address_key("::ffff:198.51.100.7"), "ip:198.51.100.7");
        assert_eq!(address_key("inconnue"), "ip:inconnue");
        assert_ne!(link_address_key("198.51.100.7"), address_key("198.51.100.7"));
    }

    #[test]
    fn an_address_is_refused_after_five_failures() {
        assert_eq!(throttle(4, 0), Throttle::Wait(0));
        assert_eq!(throttle(5, 0), Throttle::Refuse);
        assert_eq!(throttle(5, 9), Throttle::Refuse);
    }

    #[test]
    fn an_account_is_slowed_down_never_refused() {
        assert_eq!(throttle(0, 2), Throttle::Wait(0));
        assert_eq!(throttle(0, 3), Throttle::Wait(1));
        assert_eq!(throttle(0, 4), Throttle::Wait(2));
        assert_eq!(throttle(0, 6), Throttle::Wait(8));
        assert_eq!(throttle(0, 1_000), Throttle::Wait(MAX_DELAY_SECONDS));
        for failures in 0..10_000 {
            assert_ne!(throttle(0, failures), Throttle::Refuse, "{failures}");
        }
    }

    #[test]
    fn keys_name_what_they_count() {
        assert_eq!(address_key("192.0.2.1"), "ip:192.0.2.1");
        assert_eq!(account_key("a@b.fr"), "compte:a@b.fr");
    }

    #[test]
    fn a_role_whose_passwords_are_off_signs_in_with_proconnect_except_the_break_glass_admin() {
        use crate::domain::auth::Role;
        let off = [Role::Programme, Role::Admin];
        assert_eq!(password_allowed(Role::Lecture, &off, false), Ok(()));
        let refused = password_allowed(Role::Programme, &off, false).expect_err("off");
        assert!(refused.contains("désactivée pour les comptes « "), "{refused}");
        assert!(refused.contains("S'identifier avec ProConnect"), "{refused}");
        assert!(password_allowed(Role::Admin, &off, false).is_err());
        assert_eq!(
            password_allowed(Role::Admin, &off, true),
            Ok(()),
            "the break-glass admin keeps it"
        );
    }

    #[test]
    fn passwords_go_off_only_with_proconnect_offered_and_for_admins_a_break_glass_admin_named() {
        use crate::domain::auth::Role;
        assert_eq!(check_password_policy(Role::Programme, true, true, false), Ok(()));
        assert!(check_password_policy(Role::Programme, true, false, true)
            .expect_err("no ProConnect")
            .contains("Configurez d'abord ProConnect"));
        assert!(check_password_policy(Role::Admin, true, true, false)
            .expect_err("no break-glass")
            .contains("administrateur de secours"));
        assert_eq!(check_password_policy(Role::Admin, true, true, true), Ok(()));
        assert_eq!(
            check_password_policy(Role::Admin, false, false, false),
            Ok(()),
            "back on, always"
        );
        assert!(may_be_break_glass(Role::Admin, false, true));
        assert!(!may_be_break_glass(Role::Programme, false, true));
        assert!(!may_be_break_glass(Role::Admin, true, true), "not a disabled admin");
        assert!(
            !may_be_break_glass(Role::Admin, false, false),
            "not an admin who never chose a password"
        );
    }
}
