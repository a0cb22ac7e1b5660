//! Documents (SPEC M5): what СЭП issues on paper-like terms. For now the PDF
//! composer every context renders its documents with (receipts, statements);
//! signed certificates and «Мои документы» come with issue 5.

pub mod pdf;
