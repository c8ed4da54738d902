use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Reviewer,
    Enterprise,
    Supplier,
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Enterprise => "enterprise",
            Role::Supplier => "supplier",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "reviewer" => Role::Reviewer,
            "enterprise" => Role::Enterprise,
            "supplier" => Role::Supplier,
            "auditor" => Role::Auditor,
            _ => return None,
        })
    }
}

/// Who is acting. Built by the API from the session; operations use it for tenant scoping and
/// the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub role: Role,
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
}

impl Actor {
    /// The platform itself (seeding, scheduled jobs, CLI).
    pub fn system() -> Actor {
        Actor {
            user_id: "system".into(),
            username: "system".into(),
            role: Role::Admin,
            enterprise_id: None,
            supplier_id: None,
        }
    }
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
    /// Enterprise users see only their enterprise; everyone else with read rights sees all.
    pub fn enterprise_scope(&self) -> Option<&str> {
        if self.role == Role::Enterprise {
            Some(self.enterprise_id.as_deref().unwrap_or("-"))
        } else {
            None
        }
    }
    pub fn supplier_scope(&self) -> Option<&str> {
        if self.role == Role::Supplier {
            Some(self.supplier_id.as_deref().unwrap_or("-"))
        } else {
            None
        }
    }
    /// What the domain's plans need of the actor: which enterprise or supplier it is limited to.
    pub fn scope(&self) -> quan_domain::Scope {
        quan_domain::Scope {
            enterprise: self.enterprise_scope().map(Into::into),
            supplier: self.supplier_scope().map(Into::into),
        }
    }
    pub fn label(&self) -> String {
        format!("{}:{}", self.role.as_str(), self.username)
    }
}
