//! The facility registry, placements and status changes that hold letters.

use super::*;

impl App {
    // --- the registry ---

    pub async fn facilities(&self, actor: &Actor) -> Result<Vec<Facility>, DeliveryError> {
        Self::registrar(actor)?;
        Ok(self.store().list_facilities().await?)
    }

    pub async fn facility(&self, actor: &Actor, slug: &str) -> Result<Facility, DeliveryError> {
        Self::registrar(actor)?;
        self.store()
            .facility_by_slug(slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    pub async fn save_facility(
        &self,
        actor: &Actor,
        input: &FacilityInput,
    ) -> Result<Facility, DeliveryError> {
        Self::registrar(actor)?;
        let (facility, rules) = parse_facility(input)?;
        let audit = self.audit_line(
            Some(&actor.staff),
            "facility_saved",
            Some(("facility", facility.slug.clone())),
            "",
        );
        self.store()
            .save_facility(&facility, &rules, Some(&audit))
            .await?;
        self.store()
            .facility_by_slug(&facility.slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// Imports facilities from CSV, all rows or none (for `lysty import facilities`).
    pub async fn import_facilities(
        &self,
        input: impl std::io::Read,
    ) -> Result<usize, DeliveryError> {
        let rows = parse_facilities(input).map_err(DeliveryError::Rows)?;
        // Checked in full above, so the rows below cannot fail on their content; one
        // facility per write keeps each row's upsert simple.
        for (facility, rules) in &rows {
            self.store().save_facility(facility, rules, None).await?;
        }
        Ok(rows.len())
    }

    pub(super) async fn prisoner(&self, slug: &str) -> Result<Prisoner, DeliveryError> {
        self.store()
            .prisoner_by_slug(self.campaign().id, slug)
            .await?
            .ok_or(DeliveryError::NotFound)
    }

    /// The prisoner and their transfer history.
    pub async fn placements(
        &self,
        actor: &Actor,
        prisoner: &str,
    ) -> Result<(Prisoner, Vec<Placement>), DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let placements = self.store().placements(prisoner.id).await?;
        Ok((prisoner, placements))
    }

    /// Records that a prisoner is (or was, from a date) at a facility.
    pub async fn record_placement(
        &self,
        actor: &Actor,
        prisoner: &str,
        facility: &str,
        since: &str,
        note: &str,
    ) -> Result<PlacementOutcome, DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let facility = self
            .store()
            .facility_by_slug(facility.trim())
            .await?
            .ok_or(DeliveryError::Invalid(DeliveryField::Facility))?;
        let since = match since.trim() {
            "" => self.now(),
            raw => parse_day(raw).ok_or(DeliveryError::Invalid(DeliveryField::Since))?,
        };
        let note = text(note, 500, DeliveryField::Note, false)?;
        let outcome = self
            .store()
            .record_placement(&NewPlacement {
                prisoner: prisoner.id,
                facility: facility.id,
                since,
                note,
                actor: Some(actor.id()),
                actor_org: Some(actor.org()),
                at: self.now(),
                audit: Some(self.audit_line(
                    Some(&actor.staff),
                    "placement_recorded",
                    Some(("prisoner", prisoner.slug.to_string())),
                    format!("facility={} held={{held}}", facility.slug),
                )),
            })
            .await?;
        Ok(outcome)
    }

    /// Changes a prisoner's status; release, exchange or death hold their letters.
    pub async fn set_prisoner_status(
        &self,
        actor: &Actor,
        prisoner: &str,
        status: &str,
    ) -> Result<u64, DeliveryError> {
        Self::registrar(actor)?;
        let prisoner = self.prisoner(prisoner).await?;
        let status: PrisonerStatus = status
            .parse()
            .map_err(|_| DeliveryError::Invalid(DeliveryField::Status))?;
        let line = self.action_line(
            actor,
            "prisoner_status",
            Some(("prisoner", prisoner.slug.to_string())),
            format!("status={} held={{count}}", status.as_str()),
        );
        Ok(self
            .store()
            .set_prisoner_status(prisoner.id, status, &line)
            .await?)
    }
}
