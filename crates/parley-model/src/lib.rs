//! The negotiation model.
