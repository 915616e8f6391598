//! What the funnel's figures read that no case holds: the forecast's
//! chances per step.

use chrono::{DateTime, Utc};
use lejek_domain::UserId;
use lejek_domain::analytics::{Probability, StepProbabilities};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, QueryOrder, Set, TransactionTrait};

use crate::connect::Store;
use crate::entity::forecast_probability;
use crate::error::{StoreError, StoreResult};

impl Store {
    /// The chances an admin set for the open steps, and when; `None` while
    /// the defaults hold.
    pub async fn forecast_probabilities(&self) -> StoreResult<Option<(StepProbabilities, DateTime<Utc>)>> {
        let rows = forecast_probability::Entity::find()
            .order_by_asc(forecast_probability::Column::Step)
            .all(self.connection())
            .await?;
        let Some(updated_at) = rows.iter().map(|row| row.updated_at).max() else {
            return Ok(None);
        };
        let mut chances = StepProbabilities::default();
        for row in rows {
            let corrupt = || StoreError::Corrupt("forecast probability");
            let chance = u16::try_from(row.ten_thousandths)
                .ok()
                .and_then(Probability::from_ten_thousandths)
                .ok_or_else(corrupt)?;
            let slot = usize::try_from(row.step - 1)
                .ok()
                .and_then(|index| chances.0.get_mut(index));
            *slot.ok_or_else(corrupt)? = chance;
        }
        Ok(Some((chances, updated_at)))
    }

    /// Sets every open step's chance at once.
    pub async fn save_forecast_probabilities(
        &self,
        chances: StepProbabilities,
        by: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let transaction = self.connection().begin().await?;
        for (step, chance) in (1i16..).zip(chances.0) {
            forecast_probability::Entity::insert(forecast_probability::ActiveModel {
                step: Set(step),
                ten_thousandths: Set(i32::from(chance.ten_thousandths())),
                updated_at: Set(now),
                updated_by: Set(Some(by.0)),
            })
            .on_conflict(
                OnConflict::column(forecast_probability::Column::Step)
                    .update_columns([
                        forecast_probability::Column::TenThousandths,
                        forecast_probability::Column::UpdatedAt,
                        forecast_probability::Column::UpdatedBy,
                    ])
                    .to_owned(),
            )
            .exec(&transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}
