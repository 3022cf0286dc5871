"""Stand-in for the part of android_env (google-deepmind/android_env, android_world's
environment layer) that artemis touches: the `AdbRequest` / `AdbResponse` messages."""
