//! The safety lexicon, edited by admins.

use super::*;

impl App {
    // --- lexicon ---

    /// The admins' own lexicon terms.
    pub async fn lexicon_terms(
        &self,
        actor: &Actor,
    ) -> Result<Vec<lysty_store::LexiconTerm>, ReviewError> {
        if !actor.is_admin() {
            return Err(ReviewError::Forbidden);
        }
        Ok(self.store().list_lexicon().await?)
    }

    pub async fn add_lexicon_term(
        &self,
        actor: &Actor,
        term: &str,
        language: &str,
        category: &str,
    ) -> Result<(), ReviewError> {
        if !actor.is_admin() {
            return Err(ReviewError::Forbidden);
        }
        let term = term.trim();
        if term.is_empty()
            || term.chars().count() > 100
            || language.parse::<lysty_domain::safety::LexLang>().is_err()
            || category.parse::<lysty_domain::safety::Category>().is_err()
        {
            return Err(ReviewError::Invalid("term".into()));
        }
        // The log names the term and its row, so that a later removal can be traced to it.
        let audit = self.audit_line(
            Some(&actor.staff),
            "lexicon_add",
            Some(("lexicon", String::new())),
            format!("{language}/{category}: {term}"),
        );
        self.store()
            .add_lexicon(term, language, category, &audit)
            .await?;
        self.load_lexicon().await?;
        self.recompute_flags().await?;
        Ok(())
    }

    pub async fn remove_lexicon_term(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<(), ReviewError> {
        if !actor.is_admin() {
            return Err(ReviewError::Forbidden);
        }
        let audit = self.audit_line(
            Some(&actor.staff),
            "lexicon_remove",
            Some(("lexicon", id.to_string())),
            "{language}/{category}: {term}",
        );
        if self.store().remove_lexicon(id, &audit).await?.is_none() {
            return Err(ReviewError::NotFound);
        }
        self.load_lexicon().await?;
        self.recompute_flags().await?;
        Ok(())
    }
}
