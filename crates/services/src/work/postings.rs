//! Postings and the public job board.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::text::fold;
use jimoto_domain::work::posting::BOARD_QUERY_MIN;
use jimoto_domain::work::{BoardFilter, Posting, PostingInput, PostingStatus};
use jimoto_domain::{
    Actor, FieldError, OrganisationId, Page, PageRequest, PostingId, ValidationFailure, WorkAction,
};
use jimoto_store::{Conn, work as store};

use super::reach;
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// A page of the job board.
pub type BoardPage = Page<Posting>;

/// Normalises and validates a posting; with `to_open`, also what it needs to go on the board.
fn checked(input: PostingInput, to_open: bool) -> ServiceResult<PostingInput> {
    let input = input.normalised();
    ValidationFailure(if to_open {
        input.problems_to_open()
    } else {
        input.all_problems()
    })
    .into_result()?;
    Ok(input)
}

/// The posting, if the actor (None: a visitor) may see it; "not found" otherwise.
async fn visible(conn: &mut Conn, actor: Option<&Actor>, id: PostingId) -> ServiceResult<Posting> {
    let p = store::posting(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let action = WorkAction::ViewPosting {
        organisation: p.organisation_id,
        region: p.region_id,
        open: p.status == PostingStatus::Open,
    };
    let ok = match actor {
        Some(a) => a.may(action),
        None => p.status == PostingStatus::Open,
    };
    if ok {
        Ok(p)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The posting, if the actor may change it (not found if they may not see it, else forbidden).
async fn editable(conn: &mut Conn, actor: &Actor, id: PostingId) -> ServiceResult<Posting> {
    let p = visible(conn, Some(actor), id).await?;
    require(
        actor,
        WorkAction::EditPosting {
            organisation: p.organisation_id,
            region: p.region_id,
        },
    )?;
    Ok(p)
}

/// The posting's region must be one its organisation works with, where the actor may post.
async fn check_region(
    conn: &mut Conn,
    actor: &Actor,
    org: OrganisationId,
    input: &PostingInput,
) -> ServiceResult<()> {
    let r = reach(conn, actor, org).await?;
    if !r.regions.contains(&input.region_id) {
        return Err(
            ValidationFailure(vec![FieldError::new("region_id", "not_worked_with")]).into(),
        );
    }
    require(
        actor,
        WorkAction::EditPosting {
            organisation: org,
            region: input.region_id,
        },
    )
}

impl Services {
    /// One posting: an open one for anyone (`None`: a visitor), a draft or closed one for its
    /// organisation and the people of its region.
    pub async fn posting(&self, actor: Option<&Actor>, id: PostingId) -> ServiceResult<Posting> {
        let mut conn = self.db().conn().await?;
        visible(&mut conn, actor, id).await
    }

    /// An organisation's postings that the actor may see in full (drafts included where they
    /// may), newest first.
    pub async fn postings_of(
        &self,
        actor: &Actor,
        org: OrganisationId,
    ) -> ServiceResult<Vec<Posting>> {
        let mut conn = self.db().conn().await?;
        reach(&mut conn, actor, org).await?;
        let all = store::postings_of(&mut conn, org).await?;
        Ok(all
            .into_iter()
            .filter(|p| {
                actor.may(WorkAction::ViewPosting {
                    organisation: p.organisation_id,
                    region: p.region_id,
                    open: false,
                }) || p.status == PostingStatus::Open
            })
            .collect())
    }

    /// Writes a posting: a draft, or opened at once when it says everything it must.
    pub async fn create_posting(
        &self,
        actor: &Actor,
        org: OrganisationId,
        input: PostingInput,
        open: bool,
    ) -> ServiceResult<Posting> {
        let input = checked(input, open)?;
        let mut tx = self.db().begin().await?;
        check_region(&mut tx, actor, org, &input).await?;
        let status = if open {
            PostingStatus::Open
        } else {
            PostingStatus::Draft
        };
        let id = store::insert_posting(&mut tx, org, &input, None, status).await?;
        let p = store::posting(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Posting,
            id.0,
            None,
            &p.input(),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Changes a posting; an open one must still say everything it must.
    pub async fn update_posting(
        &self,
        actor: &Actor,
        id: PostingId,
        input: PostingInput,
    ) -> ServiceResult<Posting> {
        let mut tx = self.db().begin().await?;
        let old = editable(&mut tx, actor, id).await?;
        let input = checked(input, old.status == PostingStatus::Open)?;
        if input.region_id != old.region_id {
            check_region(&mut tx, actor, old.organisation_id, &input).await?;
        }
        store::update_posting(&mut tx, id, &input).await?;
        let p = store::posting(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Posting,
            id.0,
            Some(&old.input()),
            &p.input(),
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Opens (after checking it says everything it must), closes or reopens a posting.
    pub async fn set_posting_status(
        &self,
        actor: &Actor,
        id: PostingId,
        status: PostingStatus,
    ) -> ServiceResult<Posting> {
        let mut tx = self.db().begin().await?;
        let old = editable(&mut tx, actor, id).await?;
        if status == PostingStatus::Open {
            checked(old.input(), true)?;
        }
        if status != old.status {
            store::set_posting_status(&mut tx, id, status).await?;
            audit::record(
                &mut tx,
                Some(actor),
                Some(old.region_id),
                AuditEntity::Posting,
                id.0,
                AuditOp::Update,
                serde_json::json!({"status": [old.status.as_str(), status.as_str()]}),
            )
            .await?;
        }
        let p = store::posting(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(p)
    }

    /// The public job board: open postings, newest first, filtered; a search needs two
    /// characters or more.
    pub async fn board(
        &self,
        filter: &BoardFilter,
        page: &PageRequest,
    ) -> ServiceResult<BoardPage> {
        let mut f = filter.clone();
        f.q = f.q.filter(|q| !fold(q).is_empty());
        if let Some(q) = &f.q
            && fold(q).chars().count() < BOARD_QUERY_MIN
        {
            return Err(ValidationFailure(vec![
                FieldError::new("q", "too_short").with("min", BOARD_QUERY_MIN),
            ])
            .into());
        }
        let mut conn = self.db().conn().await?;
        Ok(store::board(&mut conn, &f, page).await?)
    }
}

impl Services {
    /// The regions with open postings (the board's region filter), by code.
    pub async fn board_regions(&self) -> ServiceResult<Vec<(jimoto_domain::RegionId, String)>> {
        let mut conn = self.db().conn().await?;
        Ok(store::board_regions(&mut conn).await?)
    }
}
