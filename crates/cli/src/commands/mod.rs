pub mod apply;
pub mod devnet;
pub mod keys;
pub mod node;
pub mod propose;
pub mod prove;
pub mod verify;
pub mod worker;
