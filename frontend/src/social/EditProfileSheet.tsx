import { useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Profile } from "../lib/api-types";
import { errorText, problemOf, type ErrorTexts } from "../lib/problem";
import { toast } from "../lib/toast";
import { Avatar } from "../ui/Avatar";
import { FormError, TextArea, TextField } from "../ui/Field";
import { Sheet } from "../ui/Sheet";

const BIO_MAX = 280;
const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
const AVATAR_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
const AVATAR_ERRORS: ErrorTexts = {
  avatar_not_an_image: "That file isn't a picture we can use. Try a JPEG, PNG, WebP or GIF.",
  avatar_too_large: "That picture is too big. Pick one under 5 MB.",
  avatar_too_many_pixels: "That picture has too many pixels. Try a smaller one, such as a photo from your phone.",
  rate_limited: "You've changed your picture many times in the last hour. Try again later.",
  request_timeout: "The upload took too long. Check your connection and try again.",
};
const PROFILE_ERRORS: ErrorTexts = {
  display_name_taken: "That name looks like another member's. Choose one people can tell apart.",
};

/** Characters as the server counts them (code points, not UTF-16 units). */
function charCount(s: string): number {
  return Array.from(s).length;
}

/** "Edit profile": the photo (uploaded at once), the name and the bio. */
export function EditProfileSheet({
  profile,
  onChange,
  onClose,
}: {
  profile: Profile;
  onChange: (part: Partial<Profile>) => void;
  onClose: () => void;
}) {
  const [displayName, setDisplayName] = useState(profile.display_name);
  const [bio, setBio] = useState(profile.bio ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [avatarBusy, setAvatarBusy] = useState(false);
  const [avatarError, setAvatarError] = useState<{ code: string; message: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const bioLength = charCount(bio);
  const nameOk = displayName.trim().length >= 1 && charCount(displayName.trim()) <= 60;
  const canSave = nameOk && bioLength <= BIO_MAX && !busy;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!canSave) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateProfile({ display_name: displayName.trim(), bio });
      onChange(
        updated && typeof updated === "object"
          ? { display_name: updated.display_name ?? displayName.trim(), bio: updated.bio ?? bio }
          : { display_name: displayName.trim(), bio },
      );
      toast("Profile saved.", "info");
      onClose();
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't save your profile.", PROFILE_ERRORS));
    }
  };

  const upload = async (file: File) => {
    setAvatarError(null);
    if (!AVATAR_TYPES.includes(file.type)) {
      setAvatarError({ code: "avatar_not_an_image", message: AVATAR_ERRORS.avatar_not_an_image! });
      return;
    }
    if (file.size > AVATAR_MAX_BYTES) {
      setAvatarError({ code: "avatar_too_large", message: AVATAR_ERRORS.avatar_too_large! });
      return;
    }
    setAvatarBusy(true);
    try {
      const { avatar_url } = await api.uploadAvatar(file, file.type);
      if (typeof avatar_url === "string") onChange({ avatar_url });
    } catch (err) {
      setAvatarError(problemOf(err, "Couldn't upload the picture.", AVATAR_ERRORS));
    } finally {
      setAvatarBusy(false);
      if (fileRef.current) fileRef.current.value = "";
    }
  };

  const removeAvatar = async () => {
    setAvatarError(null);
    setAvatarBusy(true);
    try {
      await api.removeAvatar();
      onChange({ avatar_url: null });
    } catch (err) {
      setAvatarError({ code: "unknown", message: errorText(err, "Couldn't remove the picture.") });
    } finally {
      setAvatarBusy(false);
    }
  };

  return (
    <Sheet onClose={onClose} label="Edit profile" testid="edit-profile-dialog">
      <form class="stack" onSubmit={save}>
        <h2 class="sheet__title">Edit profile</h2>
        <div class="avatar-edit">
          <span class={`avatar-edit__preview${avatarBusy ? " is-busy" : ""}`}>
            <Avatar user={profile} size={88} />
          </span>
          <div class="avatar-edit__actions">
            <label class="button button--secondary button--small file-button">
              <input
                ref={fileRef}
                class="sr-only"
                type="file"
                accept="image/*"
                disabled={avatarBusy}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) void upload(file);
                }}
                data-testid="avatar-input"
              />
              {avatarBusy ? "Uploading…" : profile.avatar_url ? "Change photo" : "Add a photo"}
            </label>
            {profile.avatar_url && (
              <button type="button" class="button button--ghost button--small" onClick={removeAvatar} disabled={avatarBusy} data-testid="avatar-remove">
                Remove photo
              </button>
            )}
          </div>
        </div>
        <FormError error={avatarError?.message} testid="avatar-error" code={avatarError?.code} />
        <TextField
          label="Name"
          name="display_name"
          autoComplete="name"
          value={displayName}
          maxLength={60}
          aria-invalid={!nameOk}
          onValue={setDisplayName}
          data-testid="profile-display-name"
        />
        <TextArea
          label="Bio"
          name="bio"
          rows={4}
          value={bio}
          placeholder="A line or two about you"
          aria-invalid={bioLength > BIO_MAX}
          aria-describedby="bio-count"
          onValue={setBio}
          data-testid="profile-bio-input"
          after={
            <small id="bio-count" class={`counter${bioLength > BIO_MAX ? " is-over" : ""}`} data-testid="profile-bio-count" aria-live="polite">
              {bioLength}/{BIO_MAX}
            </small>
          }
        />
        <FormError error={error} />
        <button type="submit" class="button button--primary button--block" disabled={!canSave} data-testid="profile-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </Sheet>
  );
}
