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
        let id = self
            .store()
            .add_lexicon(term, language, category, self.now())
            .await?;
        // The log names the term and its row, so that a later removal can be traced to it.
        self.audit(
            Some(&actor.staff),
            "lexicon_add",
            Some(("lexicon", id.to_string())),
            format!("{language}/{category}: {term}"),
        )
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
        let Some(removed) = self.store().remove_lexicon(id).await? else {
            return Err(ReviewError::NotFound);
        };
        self.audit(
            Some(&actor.staff),
            "lexicon_remove",
            Some(("lexicon", id.to_string())),
            format!(
                "{}/{}: {}",
                removed.language, removed.category, removed.term
            ),
        )
        .await?;
        self.load_lexicon().await?;
        self.recompute_flags().await?;
        Ok(())
    }
}
