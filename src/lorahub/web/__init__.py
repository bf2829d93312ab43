"""Pages for people: live hub occupancy, parcel stations, the device fleet, and a public feed."""
