//! Where the engines are known or suspected to differ.
