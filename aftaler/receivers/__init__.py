"""What the programs that receive our documents would say of them, checked here first."""
