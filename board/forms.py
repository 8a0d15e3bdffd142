"""The public forms of the board: posting, commenting, reporting. Every one has the honeypot."""

from django import forms
from django.core.exceptions import ValidationError

from security.links import WebLinkField
from security.public_input import add_honeypot
from security.uploads import FileInputWithNotKeptNote, clean_uploaded_attachment, clean_uploaded_image

from .models import MESSAGE_MAX_LENGTH, BoardPost


def _strip_controls(value):
    """Drop invisible control characters (keep line breaks and tabs): they only serve to hide things."""
    return "".join(ch for ch in value if ch in "\n\t" or ch.isprintable() or ch == " ")


class PostForm(forms.Form):
    posting_code = forms.CharField(
        label="Posting code",
        max_length=64,
        help_text="The code the EMAS team gave your school.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    section = forms.ModelChoiceField(queryset=None, label="Section", empty_label="Choose a section")
    title = forms.CharField(label="Title", max_length=120)
    message = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        help_text=f"Up to {MESSAGE_MAX_LENGTH:,} characters. Web addresses become links.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    link = WebLinkField(
        label="Link",
        required=False,
        help_text="A web page to point to, starting with https:// or http://.",
    )
    image = forms.FileField(
        label="Image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 5 MB. We remove location and camera details from it.",
        widget=FileInputWithNotKeptNote(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    image_alt = forms.CharField(
        label="Describe the image (alt text)",
        required=False,
        max_length=250,
        help_text="Needed when you add an image: what does it show? For people who cannot see it.",
    )
    attachment = forms.FileField(
        label="Attachment",
        required=False,
        help_text="PDF, Word (.docx) or PowerPoint (.pptx), up to 10 MB.",
        widget=FileInputWithNotKeptNote(attrs={"accept": ".pdf,.docx,.pptx"}),
    )
    display_name = forms.CharField(
        label="Your name as shown", required=False, max_length=80, help_text="Leave empty to post as 'Anonymous'."
    )
    school = forms.CharField(label="School", required=False, max_length=120)
    email = forms.EmailField(
        label="Email for moderation replies",
        required=False,
        help_text="Never shown on the board. We only use it if we need to tell you about your post.",
    )

    def __init__(self, *args, board, needs_code=True, code_refused="", on_wrong_code=None, **kwargs):
        """`code_refused`: the message to give instead of checking the code (too many wrong codes lately).
        `on_wrong_code`: called once if the code is wrong, so the view counts wrong codes (and only those)
        towards its lock-out."""
        super().__init__(*args, **kwargs)
        self.board = board
        self.code_refused = code_refused
        self.on_wrong_code = on_wrong_code
        self.fields["section"].queryset = board.sections.all()
        if not needs_code:
            del self.fields["posting_code"]
        add_honeypot(self)
        self.cleaned_image = None
        self.cleaned_attachment = None

    def clean_posting_code(self):
        code = self.cleaned_data["posting_code"]
        if self.code_refused:
            # Not even compared: a locked-out guesser must not learn whether this guess was right.
            raise ValidationError(self.code_refused)
        if not self.board.posting_code_matches(code):
            if self.on_wrong_code is not None:
                self.on_wrong_code()
            raise ValidationError("That posting code is not right. Check it with your EMAS contact.")
        return code

    def _clean_text(self, name):
        return _strip_controls(self.cleaned_data.get(name) or "").strip()

    def clean_title(self):
        return self._clean_text("title")

    def clean_message(self):
        value = self._clean_text("message")
        if not value:
            raise ValidationError("Write a message.")
        return value

    def clean_display_name(self):
        return self._clean_text("display_name")

    def clean_school(self):
        return self._clean_text("school")

    def clean_image_alt(self):
        return self._clean_text("image_alt")

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            self.cleaned_image = clean_uploaded_image(upload)
        return upload

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.cleaned_attachment = clean_uploaded_attachment(upload)
            self.cleaned_data["attachment_name"] = upload.name
        return upload

    def clean(self):
        cleaned = super().clean()
        has_image = self.cleaned_image is not None or self.has_existing_image()
        if has_image and not cleaned.get("image_alt") and not self.has_error("image"):
            self.add_error("image_alt", "Describe the image for people who cannot see it.")
        if (
            not self.has_error("image")
            and cleaned.get("image_alt")
            and not (self.cleaned_image is not None or self.has_existing_image())
        ):
            cleaned["image_alt"] = ""
        if upload := self.cleaned_data.get("attachment"):
            cleaned["attachment_name"] = upload.name
        return cleaned

    def has_existing_image(self):
        return False

    def note_files_not_kept(self):
        """Before the form is shown again with an error: name each chosen file that has to be chosen again.

        Only for files the person chose and that were not refused themselves (a refused file has its own
        error message, which already says to choose another).
        """
        if not self.is_bound or not self.errors:
            return
        for name in ("image", "attachment"):
            upload = self.files.get(name)
            if name not in self.fields or not upload or self.has_error(name):
                continue
            field = self[name]
            field.field.widget.not_kept_note = (
                f"Your {name} “{upload.name}” was not kept because the form had an error: choose it again."
            )
            described_by = [f"{field.auto_id}_not_kept"]
            if field.help_text:
                described_by.append(f"{field.auto_id}_helptext")
            field.field.widget.attrs["aria-describedby"] = " ".join(described_by)


class EditPostForm(PostForm):
    """The author's edit form: the same rules, plus removing the image they had."""

    remove_image = forms.BooleanField(label="Remove the image", required=False)

    def __init__(self, *args, post, **kwargs):
        self.post = post
        super().__init__(*args, needs_code=False, **kwargs)
        if not post.image_id:
            del self.fields["remove_image"]
        else:
            self.fields["image"].help_text = (
                "Upload a new image to replace the current one. " + self.fields["image"].help_text
            )

    def has_existing_image(self):
        return bool(self.post.image_id) and not self.data.get("remove_image")

    @staticmethod
    def initial_for(post):
        return {
            "section": post.section_id,
            "title": post.title,
            "message": post.message,
            "link": post.link,
            "image_alt": post.image_alt,
            "display_name": post.display_name,
            "school": post.school,
            "email": post.email,
        }


class CommentForm(forms.Form):
    display_name = forms.CharField(label="Your name as shown", required=False, max_length=80)
    message = forms.CharField(label="Comment", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_honeypot(self)

    def clean_message(self):
        value = _strip_controls(self.cleaned_data["message"]).strip()
        if not value:
            raise ValidationError("Write a comment.")
        return value

    def clean_display_name(self):
        return _strip_controls(self.cleaned_data.get("display_name") or "").strip()


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this post?",
        max_length=1000,
        help_text="For example: it shows a pupil's face or full name, it is unkind, or it is spam.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_honeypot(self)

    def clean_reason(self):
        value = _strip_controls(self.cleaned_data["reason"]).strip()
        if not value:
            raise ValidationError("Tell us what is wrong with the post.")
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        required=False,
        help_text="Emailed to the poster if they left an address. Be kind and specific.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


BoardPostStatus = BoardPost.Status
