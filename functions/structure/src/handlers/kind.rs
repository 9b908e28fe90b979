//! What the handlers of sections and elements need to know of each kind besides its writes
//! ([`Child`]): what clients call it, how it is shown, and where the path names it and its
//! parent.

use std::future::Future;

use fountain_http::{ApiError, Principal, Request, TableDeps, path_param};
use fountain_scripts::Script;
use fountain_scripts::access::{Permission, authorize};
use serde::Serialize;

use super::element::{authorized_element, section_exists};
use crate::child::Child;
use crate::element::{Element, ElementOrder, ElementPage, ElementView};
use crate::model::{Section, SectionOrder, SectionPage, SectionView};
use crate::order::Siblings;

/// The parent the path names: a script (of sections) or a section (of elements).
pub struct Parent {
    pub id: String,
    /// What events call it: "script" or "section".
    pub parent_type: &'static str,
    pub siblings: Siblings,
}

pub trait Kind: Child {
    /// What clients call one: "section" or "element".
    const NAME: &'static str;
    type View: Serialize + Send;
    type Page: Serialize + Send;
    type Order: Serialize + Send;

    fn view(&self, sequence: usize) -> Self::View;
    fn page(items: Vec<Self::View>, next_cursor: Option<String>) -> Self::Page;
    fn order(order: Vec<String>, order_revision: u64, written: usize) -> Self::Order;
    /// Where the API serves it.
    fn location(&self) -> String;
    /// The child the path names, when the caller may do what `need` says in its script.
    fn authorized(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> impl Future<Output = Result<Self, ApiError>> + Send;
    /// The parent the path names, when the caller may do what `need` says in its script.
    fn parent(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> impl Future<Output = Result<Parent, ApiError>> + Send;
}

impl Kind for Section {
    const NAME: &'static str = "section";
    type View = SectionView;
    type Page = SectionPage;
    type Order = SectionOrder;

    fn view(&self, sequence: usize) -> SectionView {
        Section::view(self, sequence)
    }

    fn page(items: Vec<SectionView>, next_cursor: Option<String>) -> SectionPage {
        SectionPage { items, next_cursor }
    }

    fn order(order: Vec<String>, order_revision: u64, written: usize) -> SectionOrder {
        SectionOrder {
            order,
            order_revision,
            written,
        }
    }

    fn location(&self) -> String {
        format!("/scripts/{}/sections/{}", self.script_id, self.section_id)
    }

    async fn authorized(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> Result<Self, ApiError> {
        let script_id = path_param(req, "scriptId")?;
        let section_id = path_param(req, "sectionId")?;
        authorize(&deps.table, &script_id, principal, need).await?;
        deps.table
            .get_as::<Section>(&Script::pk(&script_id), &Section::sk(&section_id))
            .await?
            .ok_or(ApiError::NotFound("section"))
    }

    async fn parent(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> Result<Parent, ApiError> {
        let script_id = path_param(req, "scriptId")?;
        authorize(&deps.table, &script_id, principal, need).await?;
        Ok(Parent {
            siblings: Siblings::sections(&script_id),
            parent_type: "script",
            id: script_id,
        })
    }
}

impl Kind for Element {
    const NAME: &'static str = "element";
    type View = ElementView;
    type Page = ElementPage;
    type Order = ElementOrder;

    fn view(&self, sequence: usize) -> ElementView {
        Element::view(self, sequence)
    }

    fn page(items: Vec<ElementView>, next_cursor: Option<String>) -> ElementPage {
        ElementPage { items, next_cursor }
    }

    fn order(order: Vec<String>, order_revision: u64, written: usize) -> ElementOrder {
        ElementOrder {
            order,
            order_revision,
            written,
        }
    }

    fn location(&self) -> String {
        format!("/scripts/{}/elements/{}", self.script_id, self.element_id)
    }

    async fn authorized(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> Result<Self, ApiError> {
        authorized_element(deps, req, principal, need).await
    }

    /// The section must exist in the script.
    async fn parent(
        deps: &TableDeps,
        req: &Request,
        principal: &Principal,
        need: Permission,
    ) -> Result<Parent, ApiError> {
        let script_id = path_param(req, "scriptId")?;
        let section_id = path_param(req, "sectionId")?;
        authorize(&deps.table, &script_id, principal, need).await?;
        if !section_exists(&deps.table, &script_id, &section_id).await? {
            return Err(ApiError::NotFound("section"));
        }
        Ok(Parent {
            siblings: Siblings::elements(&script_id, &section_id),
            parent_type: "section",
            id: section_id,
        })
    }
}
