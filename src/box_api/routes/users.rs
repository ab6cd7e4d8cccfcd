//! Users: `GET /2.0/users/me` (the usual "is my token working" call), `GET /2.0/users/{user_id}`,
//! and the admin's `GET`/`POST /2.0/users`, `PUT`/`DELETE /2.0/users/{user_id}`
//! (<https://developer.box.com/reference/post-users/> and its siblings).
//!
//! The admin endpoints answer an app's service account and users whose role is `admin` or
//! `coadmin` (`extract::Admin`). `POST` with `is_platform_access_only: true` makes an app user,
//! who then signs in through client credentials or JWT with `box_subject_type=user` and their
//! id (`oauth`), or is reached with `As-User` (`extract::acting_grant`).
//!
//! What the emulator keeps of a user: name, login, role, status, job title, phone and address
//! (`store::Profile`). Every other key Box takes is refused when it would change what the
//! reply shows (`400 bad_request` naming it, nothing made or changed), as `unkept` does for
//! items, so that no client is told a setting was made that was not.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{query_bool, Admin, BoxJson, BoxQuery, Caller, UserPath};
use crate::box_api::fields::{shape, Fields, FieldsQuery};
use crate::box_api::model::{UserFullJson, UserJson};
use crate::box_api::paging;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::accounts::{Role, UserStatus};
use crate::store::{Face, NewUser, Profile, Space, User, UserChange};

/// What `fields` always brings along: the mini representation ("only fields for the mini
/// representation are returned, additional to the fields requested", `GET /users/{user_id}` in
/// <https://github.com/box/box-openapi>).
const USER_BASE: &[&str] = &["type", "id", "name", "login"];

/// `GET /users` paging: Box's default and largest `limit`
/// (<https://developer.box.com/reference/get-users/>).
const DEFAULT_LIMIT: usize = 100;

/// A user's name: Box's `maxLength` of `User--Mini.name`.
const MAX_NAME: usize = 50;

pub(crate) async fn get_user_me(
    State(state): State<AppState>,
    Caller(space): Caller,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<FieldsQuery>,
) -> Result<Response, BoxApiError> {
    let profile = state.store.account(&space.actor.id).map(|(_, p)| p);
    let body = user_body(
        &state,
        &space.actor,
        &profile.unwrap_or_default(),
        &origin,
        query.fields().as_ref(),
    )?;
    Ok(Json(body).into_response())
}

/// Any user the emulator knows (Box shows users of the same enterprise, and here every user is
/// in one); 404 for an id no one signed in as, a fixture named or `POST /users` made, and for
/// a deleted user.
pub(crate) async fn get_user(
    State(state): State<AppState>,
    Caller(_): Caller,
    UserPath(id): UserPath,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<FieldsQuery>,
) -> Result<Response, BoxApiError> {
    let (user, profile) = live(&state, &id)?;
    let body = user_body(&state, &user, &profile, &origin, query.fields().as_ref())?;
    Ok(Json(body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    fields: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    filter_term: Option<String>,
    user_type: Option<String>,
    usemarker: Option<String>,
    external_app_user_id: Option<String>,
}

/// Box's `Users` collection with offset paging.
#[derive(Debug, Serialize)]
struct UsersPage {
    total_count: usize,
    limit: usize,
    offset: usize,
    entries: Vec<Value>,
}

/// `GET /users` (admin): every live user by id, `filter_term` matching the start of the name or
/// login (case aside, as Box's search of the enterprise does), `user_type` `all`, `managed`
/// (everyone here: the emulator is one enterprise) or `external` (nobody); an
/// `external_app_user_id` matches nobody, as no user has one.
pub(crate) async fn list_users(
    State(state): State<AppState>,
    Admin(_): Admin,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<ListQuery>,
) -> Result<Response, BoxApiError> {
    if query_bool("usemarker", query.usemarker.as_deref())? {
        return Err(BoxApiError::invalid(
            "usemarker",
            "The emulator pages users by offset only; leave usemarker out.",
        ));
    }
    let external = match query.user_type.as_deref() {
        None | Some("all") | Some("managed") => false,
        Some("external") => true,
        Some(_) => {
            return Err(BoxApiError::invalid(
                "user_type",
                "Invalid value. The value must be one of all, managed, external.",
            ))
        }
    };
    let limit = paging::limit(query.limit.as_deref(), DEFAULT_LIMIT)?;
    let offset = paging::offset(query.offset.as_deref())?;
    let term = query.filter_term.as_deref().map(str::to_lowercase);
    let matches = |user: &User| {
        term.as_deref().is_none_or(|term| {
            user.name.to_lowercase().starts_with(term)
                || user.login.to_lowercase().starts_with(term)
        })
    };
    // No user has an external app user id (`POST` refuses one), so none matches one.
    let users: Vec<(Arc<User>, Profile)> = match external || query.external_app_user_id.is_some() {
        true => Vec::new(),
        false => (state.store.accounts().into_iter())
            .filter(|(user, _)| matches(user))
            .collect(),
    };
    let fields = Fields::parse(query.fields.as_deref());
    let entries = (users.iter().skip(offset).take(limit))
        .map(|(user, profile)| user_body(&state, user, profile, &origin, fields.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(UsersPage {
        total_count: users.len(),
        limit,
        offset,
        entries,
    })
    .into_response())
}

/// The body of `POST /users`.
#[derive(Debug, Deserialize)]
pub(crate) struct CreateBody {
    name: Option<String>,
    login: Option<String>,
    #[serde(default)]
    is_platform_access_only: Option<bool>,
    #[serde(flatten)]
    kept: KeptKeys,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// The keys of `POST` and `PUT` the emulator keeps beside the name.
#[derive(Debug, Default, Deserialize)]
struct KeptKeys {
    role: Option<String>,
    status: Option<String>,
    job_title: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

impl KeptKeys {
    fn role(&self) -> Result<Option<Role>, BoxApiError> {
        match self.role.as_deref() {
            None => Ok(None),
            Some("user") => Ok(Some(Role::User)),
            Some("coadmin") => Ok(Some(Role::Coadmin)),
            Some(_) => Err(BoxApiError::invalid(
                "role",
                "Invalid value. The value must be one of coadmin, user.",
            )),
        }
    }

    fn status(&self) -> Result<Option<UserStatus>, BoxApiError> {
        match self.status.as_deref() {
            None => Ok(None),
            Some("active") => Ok(Some(UserStatus::Active)),
            Some("inactive") => Ok(Some(UserStatus::Inactive)),
            Some("cannot_delete_edit") => Ok(Some(UserStatus::CannotDeleteEdit)),
            Some("cannot_delete_edit_upload") => Ok(Some(UserStatus::CannotDeleteEditUpload)),
            Some(_) => Err(BoxApiError::invalid(
                "status",
                "Invalid value. The value must be one of active, inactive, cannot_delete_edit, \
                 cannot_delete_edit_upload.",
            )),
        }
    }

    /// Each text at most 255 characters (Box's `address` limit; job title and phone allow 100).
    fn texts(&self) -> Result<(), BoxApiError> {
        for (name, value, max) in [
            ("job_title", &self.job_title, 100),
            ("phone", &self.phone, 100),
            ("address", &self.address, 255),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                return Err(BoxApiError::invalid(
                    name,
                    format!("Invalid value. It must be at most {max} characters."),
                ));
            }
        }
        Ok(())
    }
}

/// `201` with the new user. Who may: `extract::Admin`.
pub(crate) async fn create_user(
    State(state): State<AppState>,
    Admin(caller): Admin,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<CreateBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.ok_or_else(|| BoxApiError::missing("name"))?;
    refuse_unkept(&body.rest, &[])?;
    let name = valid_name(body.name)?;
    let app_user = body.is_platform_access_only.unwrap_or(false);
    let login = match (app_user, body.login) {
        // Box assigns an app user's login.
        (true, Some(_)) => {
            return Err(BoxApiError::invalid(
                "login",
                "An app user's login is assigned by Box; leave login out.",
            ))
        }
        (true, None) => None,
        (false, None) => return Err(BoxApiError::missing("login")),
        (false, Some(login)) => Some(valid_login(login)?),
    };
    body.kept.texts()?;
    let profile = Profile {
        role: body.kept.role()?.unwrap_or_default(),
        app_user,
        status: body.kept.status()?.unwrap_or_default(),
        job_title: body.kept.job_title.filter(|t| !t.is_empty()),
        phone: body.kept.phone.filter(|t| !t.is_empty()),
        address: body.kept.address.filter(|t| !t.is_empty()),
        deleted: false,
    };
    let new = NewUser {
        name,
        login,
        profile,
    };
    let (user, profile) = state.store.create_user(new, &caller.actor.id)?;
    let body = user_body(&state, &user, &profile, &origin, query.fields().as_ref())?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The body of `PUT /users/{user_id}`.
#[derive(Debug, Deserialize)]
pub(crate) struct UpdateBody {
    name: Option<String>,
    login: Option<String>,
    #[serde(flatten)]
    kept: KeptKeys,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// `200` with the user as changed. Who may: `extract::Admin`. `login` is taken only as it is
/// (Box changes a managed user's primary login this way; the emulator does not).
pub(crate) async fn update_user(
    State(state): State<AppState>,
    Admin(_): Admin,
    UserPath(id): UserPath,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<UpdateBody>>,
) -> Result<Response, BoxApiError> {
    let (user, _) = live(&state, &id)?;
    let Some(body) = body else {
        let (user, profile) = live(&state, &id)?;
        return Ok(Json(user_body(
            &state,
            &user,
            &profile,
            &origin,
            query.fields().as_ref(),
        )?)
        .into_response());
    };
    // `notify` only says whether Box mails the user about a login change.
    refuse_unkept(&body.rest, &["notify"])?;
    if body
        .login
        .as_ref()
        .is_some_and(|login| !login.eq_ignore_ascii_case(&user.login))
    {
        return Err(unkept("login"));
    }
    body.kept.texts()?;
    let change = UserChange {
        name: body.name.map(|name| valid_name(Some(name))).transpose()?,
        role: body.kept.role()?,
        status: body.kept.status()?,
        job_title: body.kept.job_title,
        phone: body.kept.phone,
        address: body.kept.address,
    };
    let (user, profile) = state.store.update_user(&id, change)?;
    let body = user_body(&state, &user, &profile, &origin, query.fields().as_ref())?;
    Ok(Json(body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteQuery {
    force: Option<String>,
    notify: Option<String>,
}

/// `204`; the user's files and folders go with them (not to the trash). Without `force=true` a
/// user who owns any is refused (`400 bad_request` naming `force`). Who may: `extract::Admin`,
/// but not on themselves (`403`): a service account that deleted itself would leave its app
/// unable to sign in until a reset (Box does not say what it answers).
pub(crate) async fn delete_user(
    State(state): State<AppState>,
    Admin(caller): Admin,
    UserPath(id): UserPath,
    BoxQuery(query): BoxQuery<DeleteQuery>,
) -> Result<Response, BoxApiError> {
    let force = query_bool("force", query.force.as_deref())?;
    query_bool("notify", query.notify.as_deref())?;
    if caller.actor.id == id {
        return Err(BoxApiError::AccessDeniedInsufficientPermissions);
    }
    state.store.delete_user(&id, force)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A user who is not deleted, else 404.
fn live(state: &AppState, id: &str) -> Result<(Arc<User>, Profile), BoxApiError> {
    match state.store.account(id) {
        Some((user, profile)) if !profile.deleted => Ok((user, profile)),
        _ => Err(BoxApiError::NotFound),
    }
}

fn valid_name(name: Option<String>) -> Result<String, BoxApiError> {
    let name = name.ok_or_else(|| BoxApiError::missing("name"))?;
    if name.trim().is_empty() || name.chars().count() > MAX_NAME {
        return Err(BoxApiError::invalid(
            "name",
            format!("Invalid value. A name must be 1 to {MAX_NAME} characters."),
        ));
    }
    Ok(name)
}

/// A login is an email address: something before and after one `@`.
fn valid_login(login: String) -> Result<String, BoxApiError> {
    let valid = login.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    });
    match valid && login.len() <= 255 && !login.contains(char::is_whitespace) {
        true => Ok(login),
        false => Err(BoxApiError::invalid(
            "login",
            "Invalid value. The login must be an email address.",
        )),
    }
}

/// The values every emulated user has for the keys the emulator does not keep: a request that
/// asks for one of these (or `null`) changes nothing and is taken.
fn fixed_value(key: &str) -> Option<Value> {
    Some(match key {
        "language" => Value::from("en"),
        "timezone" => Value::from("UTC"),
        "is_sync_enabled" | "can_see_managed_users" => Value::Bool(true),
        "is_external_collab_restricted"
        | "is_exempt_from_device_limits"
        | "is_exempt_from_login_verification"
        | "is_password_reset_required" => Value::Bool(false),
        "tracking_codes" => Value::Array(Vec::new()),
        "space_amount" => Value::from(10u64 * 1024 * 1024 * 1024),
        _ => return None,
    })
}

/// `Err` naming the first key of `rest` that would change what the emulator shows (`taken`
/// keys are accepted as they are).
fn refuse_unkept(rest: &Map<String, Value>, taken: &[&str]) -> Result<(), BoxApiError> {
    let mut keys: Vec<&String> = rest.keys().collect();
    keys.sort();
    for key in keys {
        let value = &rest[key];
        let same = value.is_null()
            || taken.contains(&key.as_str())
            || fixed_value(key).is_some_and(|fixed| fixed == *value);
        if !same {
            return Err(unkept(key));
        }
    }
    Ok(())
}

fn unkept(key: &str) -> BoxApiError {
    BoxApiError::BadRequest(Some(crate::box_api::errors::ParamError {
        reason: "invalid_parameter",
        name: "body",
        message: format!(
            "The emulator does not keep '{key}' for users; nothing was changed. Only the value \
             every user has (or null) is taken."
        ),
    }))
}

/// The user's reply: standard, or cut to `fields` (which may name the full representation's).
fn user_body(
    state: &AppState,
    user: &User,
    profile: &Profile,
    origin: &str,
    fields: Option<&Fields<'_>>,
) -> Result<Value, BoxApiError> {
    let space = Space::own(Face::Box, Arc::new(user.clone()));
    let root = state.store.root(&space)?;
    let value = match fields {
        None => serde_json::to_value(UserJson::new(user, profile, &root, origin)),
        Some(_) => serde_json::to_value(shape(
            fields,
            UserFullJson::new(user, profile, &root, origin),
            USER_BASE,
        )),
    };
    value.map_err(|_| BoxApiError::InternalServerError)
}
