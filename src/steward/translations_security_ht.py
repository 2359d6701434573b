"""Haitian Creole translations of the family-facing sign-in pages of issue #10: sign-in,
lockout, re-authentication, session expiry and two-step verification (authenticator app,
recovery codes). The plural reads as the singular, but for one message that adds a clause."""

from __future__ import annotations

TEXTS: dict[str, str | tuple[str, str]] = {
    # Sign-in and lockout.
    "Password": "Modpas",
    "That password is not right.": "Modpas sa a pa bon.",
    "After several wrong passwords, signing in is paused for a while to protect your account.": "Apre plizyè modpas ki pa bon, koneksyon an ap an poz pou yon ti tan pou pwoteje kont ou.",
    "District staff": "Anplwaye distri a",
    "Sign in with %(provider)s": "Konekte ak %(provider)s",
    "Sign in with your district account": "Konekte ak kont distri ou",
    "Signing in is paused": "Koneksyon an poz pou kounye a",
    "There have been too many failed sign-ins from your network. To protect the accounts on it, signing in from here is paused for %(minutes)s minute.": (
        "Te gen twòp tantativ koneksyon ki echwe ki soti nan rezo ou a. Pou pwoteje kont ki sou rezo sa a, koneksyon ki soti isit la an poz pandan %(minutes)s minit.",
        "Te gen twòp tantativ koneksyon ki echwe ki soti nan rezo ou a. Pou pwoteje kont ki sou rezo sa a, koneksyon ki soti isit la an poz pandan %(minutes)s minit.",
    ),
    "There have been too many failed sign-ins for this account. To protect it, signing in is paused for %(minutes)s minute.": (
        "Te gen twòp tantativ koneksyon ki echwe pou kont sa a. Pou pwoteje l, koneksyon an poz pandan %(minutes)s minit.",
        "Te gen twòp tantativ koneksyon ki echwe pou kont sa a. Pou pwoteje l, koneksyon an poz pandan %(minutes)s minit.",
    ),
    "If you did not make these attempts, tell your school office or the district privacy office: someone may be trying to get into your account. They can also unlock it sooner.": "Si se pa ou ki te fè tantativ sa yo, fè biwo lekòl ou a oswa biwo vi prive distri a konnen: gen yon moun ki ka ap eseye antre nan kont ou. Yo ka debloke l pi vit tou.",
    "Back to sign in": "Retounen nan paj koneksyon an",
    # Session expiry.
    "You were signed out after a period without activity. Please sign in again.": "Nou dekonekte w apre yon peryòd san aktivite. Tanpri konekte ankò.",
    "Your session reached its time limit. Please sign in again.": "Sesyon ou a rive nan limit tan li. Tanpri konekte ankò.",
    "Your session has ended. Please sign in again.": "Sesyon ou a fini. Tanpri konekte ankò.",
    # Re-authentication.
    "Confirm it is you": "Konfime se ou menm",
    "This action needs a recent sign-in. Sign out, then sign in again with your district account to continue.": "Aksyon sa a mande yon koneksyon ki fèk fèt. Dekonekte, epi konekte ankò ak kont distri ou pou kontinye.",
    "Exports, emergency access and bulk downloads need a recent sign-in.": "Ekspòtasyon, aksè an ijans ak telechajman an gwo kantite mande yon koneksyon ki fèk fèt.",
    "Enter your password and a code from your authenticator app.": "Tape modpas ou ak yon kòd ki soti nan aplikasyon otantifikasyon ou a.",
    "Enter a code from your authenticator app.": "Tape yon kòd ki soti nan aplikasyon otantifikasyon ou a.",
    "Enter your password.": "Tape modpas ou.",
    "Continue": "Kontinye",
    # Two-step verification: codes.
    "Code": "Kòd",
    "The six-digit code from your authenticator app, or one of your recovery codes.": "Kòd sis chif ki nan aplikasyon otantifikasyon ou a, oswa youn nan kòd rekiperasyon ou yo.",
    "Code from the app": "Kòd ki nan aplikasyon an",
    "Enter the six-digit code your app shows now.": "Tape kòd sis chif aplikasyon ou a montre kounye a.",
    "Too many wrong codes. Wait a moment and try again.": "Twòp kòd ki pa bon. Tann yon ti moman epi eseye ankò.",
    "Too many wrong codes. Wait %(n)d second and try again.": (
        "Twòp kòd ki pa bon. Tann %(n)d segonn epi eseye ankò.",
        "Twòp kòd ki pa bon. Tann %(n)d segonn epi eseye ankò.",
    ),
    "That code is not right. Check the app and try again.": "Kòd sa a pa bon. Verifye aplikasyon an epi eseye ankò.",
    "Enter your code": "Tape kòd ou",
    "Open your authenticator app and enter the six-digit code it shows for Steward. If you do not have your phone, enter one of your recovery codes.": "Louvri aplikasyon otantifikasyon ou a epi tape kòd sis chif li montre pou Steward. Si ou pa gen telefòn ou, tape youn nan kòd rekiperasyon ou yo.",
    "Verify": "Verifye",
    "Lost your phone and your recovery codes? Ask district IT to reset your second factor.": "Ou pèdi telefòn ou ak kòd rekiperasyon ou yo? Mande sèvis enfòmatik distri a pou yo reyinisyalize verifikasyon an de etap ou a.",
    "You used a recovery code: %(n)d is left. Make new ones on your sign-in security page.": (
        "Ou sèvi ak yon kòd rekiperasyon: %(n)d kòd rete. Fè nouvo kòd sou paj sekirite koneksyon ou.",
        "Ou sèvi ak yon kòd rekiperasyon: %(n)d kòd rete. Si yo prèske fini, fè nouvo kòd sou paj sekirite koneksyon ou.",
    ),
    # Two-step verification: the sign-in security page.
    "Sign-in security": "Sekirite koneksyon",
    "Authenticator app": "Aplikasyon otantifikasyon",
    "A second factor is on: after your password, you enter a code from your authenticator app.": "Verifikasyon an de etap aktive: apre modpas ou, ou tape yon kòd ki soti nan aplikasyon otantifikasyon ou a.",
    "You have %(n)s unused recovery code.": (
        "Ou gen %(n)s kòd rekiperasyon ou poko itilize.",
        "Ou gen %(n)s kòd rekiperasyon ou poko itilize.",
    ),
    "Make new recovery codes": "Fè nouvo kòd rekiperasyon",
    "Remove the app": "Retire aplikasyon an",
    "Your role requires a second factor: after removing it you will set up a new app straight away (for example, on a new phone).": "Wòl ou mande verifikasyon an de etap: apre ou retire aplikasyon an, w ap konfigire yon nouvo aplikasyon touswit (pa egzanp, sou yon nouvo telefòn).",
    "You can remove the app and sign in with your password alone.": "Ou ka retire aplikasyon an epi konekte ak modpas ou sèlman.",
    "Remove the app and recovery codes": "Retire aplikasyon an ak kòd rekiperasyon yo",
    "Your authenticator app and recovery codes are removed.": "Nou retire aplikasyon otantifikasyon ou a ak kòd rekiperasyon ou yo.",
    "Your role requires a second factor. Set up an authenticator app to continue.": "Wòl ou mande verifikasyon an de etap. Konfigire yon aplikasyon otantifikasyon pou kontinye.",
    "A second factor is off. You can turn it on: after your password, you would also enter a code from an authenticator app on your phone.": "Verifikasyon an de etap pa aktive. Ou ka aktive l: apre modpas ou, ou ta tape tou yon kòd ki soti nan yon aplikasyon otantifikasyon sou telefòn ou.",
    # Two-step verification: setting up the app.
    "Set up an authenticator app": "Konfigire yon aplikasyon otantifikasyon",
    "Your role gives you access to student records, so signing in needs a second factor: a code from an app on your phone, as well as your password.": "Wòl ou ba ou aksè nan dosye elèv yo, kidonk pou konekte ou bezwen verifikasyon an de etap: yon kòd ki soti nan yon aplikasyon sou telefòn ou, anplis modpas ou.",
    "Install an authenticator app on your phone if you do not have one (for example Google Authenticator, Microsoft Authenticator or FreeOTP).": "Enstale yon aplikasyon otantifikasyon sou telefòn ou si ou pa genyen youn (pa egzanp Google Authenticator, Microsoft Authenticator oswa FreeOTP).",
    "In the app, add an account and scan this QR code:": "Nan aplikasyon an, ajoute yon kont epi eskane kòd QR sa a:",
    "QR code to scan with your authenticator app": "Kòd QR pou eskane ak aplikasyon otantifikasyon ou a",
    "Cannot scan it? Type this key into the app instead:": "Ou pa ka eskane l? Tape kle sa a nan aplikasyon an pito:",
    "Enter the code the app shows to finish.": "Pou fini, tape kòd aplikasyon an montre a.",
    "Turn on": "Aktive",
    "Your authenticator app is already set up.": "Aplikasyon otantifikasyon ou a deja konfigire.",
    # Two-step verification: recovery codes.
    "Recovery codes": "Kòd rekiperasyon",
    "Write these codes down or print them, and keep them somewhere safe. Each one works once, instead of a code from the app, if you lose your phone. They are shown only now.": "Ekri kòd sa yo oswa enprime yo, epi sere yo yon kote ki an sekirite. Si ou pèdi telefòn ou, chak kòd mache yon sèl fwa, nan plas yon kòd aplikasyon an. Se kounye a sèlman yo parèt.",
    "I have kept my codes": "Mwen sere kòd mwen yo",
    "Recovery codes are shown only once, when they are made. You have %(n)s unused code.": (
        "Kòd rekiperasyon yo parèt yon sèl fwa, lè yo fèt. Ou gen %(n)s kòd ou poko itilize.",
        "Kòd rekiperasyon yo parèt yon sèl fwa, lè yo fèt. Ou gen %(n)s kòd ou poko itilize.",
    ),
    "Back to sign-in security": "Retounen nan sekirite koneksyon",
}
