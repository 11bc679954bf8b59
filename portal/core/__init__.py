"""The portal's core: people, access, plugins and layout. It cannot be disabled."""
