"""Hand-written translations of the family portal and of the record parts it shows
(issue #5 item 7): Spanish, Brazilian Portuguese, Haitian Creole.

Each value is either a string, or for a plural message a (singular, plural) pair.
`steward.translations.fill_and_compile` writes them into the catalogs.
"""

from __future__ import annotations

Text = str | tuple[str, str]

PORTAL: dict[str, dict[str, Text]] = {
    "The roster has no e-mail address for this guardian.": {
        "es": "La lista del distrito no tiene una dirección de correo electrónico para este tutor.",
        "pt_BR": "O cadastro não tem um endereço de e-mail para este responsável.",
        "ht": "Lis distri a pa gen adrès imèl pou paran oswa responsab sa a.",
    },
    "This guardian has no child whose record they may see.": {
        "es": "Este tutor no tiene ningún hijo cuyo expediente pueda ver.",
        "pt_BR": "Este responsável não tem nenhum filho cujo registro possa ver.",
        "ht": "Paran oswa responsab sa a pa gen okenn pitit li gen dwa wè dosye li.",
    },
    "This guardian already has a portal account.": {
        "es": "Este tutor ya tiene una cuenta en el portal.",
        "pt_BR": "Este responsável já tem uma conta no portal.",
        "ht": "Paran oswa responsab sa a gen yon kont nan pòtay la deja.",
    },
    "Your invitation to the Steward family portal": {
        "es": "Su invitación al portal para familias de Steward",
        "pt_BR": "Seu convite para o portal das famílias do Steward",
        "ht": "Envitasyon ou pou pòtay fanmi Steward la",
    },
    "This code is not valid. Ask your school for a new one.": {
        "es": "Este código no es válido. Pida uno nuevo a su escuela.",
        "pt_BR": "Este código não é válido. Peça um novo à sua escola.",
        "ht": "Kòd sa a pa bon. Mande lekòl ou yon lòt kòd.",
    },
    "An account already uses this e-mail address. Sign in instead.": {
        "es": "Ya hay una cuenta con esta dirección de correo electrónico. Inicie sesión.",
        "pt_BR": "Já existe uma conta com este endereço de e-mail. Entre com ela.",
        "ht": "Gen yon kont ki sèvi ak adrès imèl sa a deja. Konekte pito.",
    },
    "Family portal": {
        "es": "Portal para familias",
        "pt_BR": "Portal das famílias",
        "ht": "Pòtay fanmi",
    },
    "Invitation code": {
        "es": "Código de invitación",
        "pt_BR": "Código do convite",
        "ht": "Kòd envitasyon",
    },
    "Choose a password": {
        "es": "Elija una contraseña",
        "pt_BR": "Escolha uma senha",
        "ht": "Chwazi yon modpas",
    },
    "Type it again": {
        "es": "Escríbala de nuevo",
        "pt_BR": "Digite-a novamente",
        "ht": "Tape l ankò",
    },
    "The two passwords differ.": {
        "es": "Las dos contraseñas no coinciden.",
        "pt_BR": "As duas senhas são diferentes.",
        "ht": "De modpas yo pa menm.",
    },
    "No guardian has this sourcedId.": {
        "es": "Ningún tutor tiene este sourcedId.",
        "pt_BR": "Nenhum responsável tem este sourcedId.",
        "ht": "Okenn paran oswa responsab pa gen sourcedId sa a.",
    },
    "%(n)d invitation sent.": {
        "es": ("Se envió %(n)d invitación.", "Se enviaron %(n)d invitaciones."),
        "pt_BR": ("%(n)d convite enviado.", "%(n)d convites enviados."),
        "ht": ("Nou voye %(n)d envitasyon.", "Nou voye %(n)d envitasyon."),
    },
    "sent to": {"es": "enviada a", "pt_BR": "enviado para", "ht": "voye bay"},
    "Parts of the record": {
        "es": "Partes del expediente",
        "pt_BR": "Partes do registro",
        "ht": "Pati nan dosye a",
    },
    "Why": {"es": "Por qué", "pt_BR": "Por quê", "ht": "Poukisa"},
    "Who": {"es": "Quién", "pt_BR": "Quem", "ht": "Kiyès"},
    "Activate your account": {
        "es": "Active su cuenta",
        "pt_BR": "Ative sua conta",
        "ht": "Aktive kont ou",
    },
    "Enter the code from your invitation e-mail and choose a password.": {
        "es": "Escriba el código de su correo de invitación y elija una contraseña.",
        "pt_BR": "Digite o código do seu e-mail de convite e escolha uma senha.",
        "ht": "Tape kòd ki nan imèl envitasyon ou a epi chwazi yon modpas.",
    },
    "Activate": {"es": "Activar", "pt_BR": "Ativar", "ht": "Aktive"},
    "My children": {"es": "Mis hijos", "pt_BR": "Meus filhos", "ht": "Pitit mwen yo"},
    "Everything the school holds in your child's record. If something is wrong, you may ask the school to correct it.": {
        "es": "Todo lo que la escuela guarda en el expediente de su hijo. Si algo está mal, puede pedir a la escuela que lo corrija.",
        "pt_BR": "Tudo o que a escola guarda no registro do seu filho. Se algo estiver errado, você pode pedir à escola que o corrija.",
        "ht": "Tout sa lekòl la genyen nan dosye pitit ou a. Si gen yon bagay ki pa kòrèk, ou ka mande lekòl la korije l.",
    },
    "Who saw or received it": {
        "es": "Quién lo vio o lo recibió",
        "pt_BR": "Quem viu ou recebeu",
        "ht": "Kiyès ki wè l oswa ki resevwa l",
    },
    "Your children's school records: see everything the school holds, and who has seen or received it.": {
        "es": "Los expedientes escolares de sus hijos: vea todo lo que guarda la escuela y quién lo ha visto o recibido.",
        "pt_BR": "Os registros escolares dos seus filhos: veja tudo o que a escola guarda e quem viu ou recebeu essas informações.",
        "ht": "Dosye lekòl pitit ou yo: gade tout sa lekòl la genyen, ak kiyès ki wè yo oswa ki resevwa yo.",
    },
    "Record": {"es": "Expediente", "pt_BR": "Registro", "ht": "Dosye"},
    "No child's record is available to you. If this is wrong, please contact your school.": {
        "es": "No tiene acceso al expediente de ningún niño. Si esto es un error, comuníquese con su escuela.",
        "pt_BR": "Nenhum registro de aluno está disponível para você. Se isso estiver errado, entre em contato com a sua escola.",
        "ht": "Ou pa gen aksè a dosye okenn timoun. Si sa pa kòrèk, tanpri kontakte lekòl ou.",
    },
    "Hello %(name)s,": {
        "es": "Hola, %(name)s:",
        "pt_BR": "Olá, %(name)s,",
        "ht": "Bonjou %(name)s,",
    },
    "Your school district invites you to its family portal, where you can see your children's school records and who has seen or received them.": {
        "es": "Su distrito escolar le invita a su portal para familias, donde puede ver los expedientes escolares de sus hijos y quién los ha visto o recibido.",
        "pt_BR": "O seu distrito escolar convida você para o portal das famílias, onde você pode ver os registros escolares dos seus filhos e quem os viu ou recebeu.",
        "ht": "Distri lekòl ou a envite w nan pòtay fanmi li, kote ou ka wè dosye lekòl pitit ou yo ak kiyès ki wè yo oswa ki resevwa yo.",
    },
    "To activate your account, open this link and choose a password:": {
        "es": "Para activar su cuenta, abra este enlace y elija una contraseña:",
        "pt_BR": "Para ativar sua conta, abra este link e escolha uma senha:",
        "ht": "Pou aktive kont ou, louvri lyen sa a epi chwazi yon modpas:",
    },
    "Or go to the portal's activation page and enter this code: %(code)s": {
        "es": "O vaya a la página de activación del portal y escriba este código: %(code)s",
        "pt_BR": "Ou acesse a página de ativação do portal e digite este código: %(code)s",
        "ht": "Oswa ale sou paj aktivasyon pòtay la epi tape kòd sa a: %(code)s",
    },
    "The invitation works once, for %(days)s day.": {
        "es": (
            "La invitación sirve una sola vez, durante %(days)s día.",
            "La invitación sirve una sola vez, durante %(days)s días.",
        ),
        "pt_BR": (
            "O convite pode ser usado uma única vez, durante %(days)s dia.",
            "O convite pode ser usado uma única vez, durante %(days)s dias.",
        ),
        "ht": (
            "Envitasyon an mache yon sèl fwa, pandan %(days)s jou.",
            "Envitasyon an mache yon sèl fwa, pandan %(days)s jou.",
        ),
    },
    "Who saw or received the record": {
        "es": "Quién vio o recibió el expediente",
        "pt_BR": "Quem viu ou recebeu o registro",
        "ht": "Kiyès ki wè dosye a oswa ki resevwa l",
    },
    "Who saw or received %(name)s's record": {
        "es": "Quién vio o recibió el expediente de %(name)s",
        "pt_BR": "Quem viu ou recebeu o registro de %(name)s",
        "ht": "Kiyès ki wè dosye %(name)s oswa ki resevwa l",
    },
    "Every disclosure of your child's record, and every access the law asks us to show you, newest first.": {
        "es": "Cada divulgación del expediente de su hijo y cada acceso que la ley nos pide mostrarle, del más reciente al más antiguo.",
        "pt_BR": "Cada divulgação do registro do seu filho e cada acesso que a lei nos pede para mostrar a você, do mais recente ao mais antigo.",
        "ht": "Chak fwa yo pataje dosye pitit ou a, ak chak aksè lalwa mande nou montre w, sa ki pi resan yo an premye.",
    },
    "When": {"es": "Cuándo", "pt_BR": "Quando", "ht": "Kilè"},
    "What": {"es": "Qué", "pt_BR": "O quê", "ht": "Kisa"},
    "to": {"es": "a", "pt_BR": "para", "ht": "bay"},
    "(and %(n)s other student)": {
        "es": ("(y %(n)s estudiante más)", "(y %(n)s estudiantes más)"),
        "pt_BR": ("(e mais %(n)s aluno)", "(e mais %(n)s alunos)"),
        "ht": ("(ak %(n)s lòt elèv)", "(ak %(n)s lòt elèv)"),
    },
    "Nothing to show yet.": {
        "es": "Todavía no hay nada que mostrar.",
        "pt_BR": "Ainda não há nada para mostrar.",
        "ht": "Poko gen anyen pou nou montre.",
    },
    "Consents to share the record": {
        "es": "Consentimientos para compartir el expediente",
        "pt_BR": "Consentimentos para compartilhar o registro",
        "ht": "Otorizasyon pou pataje dosye a",
    },
    "Consents to share %(name)s's record": {
        "es": "Consentimientos para compartir el expediente de %(name)s",
        "pt_BR": "Consentimentos para compartilhar o registro de %(name)s",
        "ht": "Otorizasyon pou pataje dosye %(name)s",
    },
    "The school shares a student's record outside the district only with your written consent, unless the law allows it without. Each consent names the records, the purpose, who receives them and until when. You may revoke a consent at any time; it stops future sharing, not what was already shared.": {
        "es": "La escuela comparte el expediente de un estudiante fuera del distrito solo con su consentimiento por escrito, salvo que la ley lo permita sin él. Cada consentimiento indica los registros, el propósito, quién los recibe y hasta cuándo. Puede revocar un consentimiento en cualquier momento; eso detiene lo que se comparta en adelante, no lo que ya se compartió.",
        "pt_BR": "A escola compartilha o registro de um aluno fora do distrito somente com o seu consentimento por escrito, a menos que a lei permita sem ele. Cada consentimento indica os registros, a finalidade, quem os recebe e até quando. Você pode revogar um consentimento a qualquer momento; isso impede novos compartilhamentos, mas não desfaz o que já foi compartilhado.",
        "ht": "Lekòl la pataje dosye yon elèv deyò distri a sèlman avèk otorizasyon ou bay alekri, sof si lalwa pèmèt li san sa. Chak otorizasyon di ki dosye, pou ki rezon, kiyès ki resevwa yo ak jiska kilè. Ou ka anile yon otorizasyon nenpòt ki lè; sa kanpe pataj ki ta vini apre, men li pa ka rale sa yo te deja pataje.",
    },
    "Consents on file, newest first": {
        "es": "Consentimientos registrados, del más reciente al más antiguo",
        "pt_BR": "Consentimentos registrados, do mais recente ao mais antigo",
        "ht": "Otorizasyon ki nan dosye a, sa ki pi resan yo an premye",
    },
    "Recipient": {"es": "Destinatario", "pt_BR": "Destinatário", "ht": "Moun k ap resevwa"},
    "Purpose": {"es": "Propósito", "pt_BR": "Finalidade", "ht": "Rezon"},
    "Records": {"es": "Registros", "pt_BR": "Registros", "ht": "Dosye yo"},
    "Action": {"es": "Acción", "pt_BR": "Ação", "ht": "Aksyon"},
    "Revoke": {"es": "Revocar", "pt_BR": "Revogar", "ht": "Anile"},
    "You have not given any consent to share this record.": {
        "es": "No ha dado ningún consentimiento para compartir este expediente.",
        "pt_BR": "Você não deu nenhum consentimento para compartilhar este registro.",
        "ht": "Ou pa t bay okenn otorizasyon pou pataje dosye sa a.",
    },
    "Revoked on %(day)s": {
        "es": "Revocado el %(day)s",
        "pt_BR": "Revogado em %(day)s",
        "ht": "Anile %(day)s",
    },
    "Expired on %(day)s": {
        "es": "Venció el %(day)s",
        "pt_BR": "Expirou em %(day)s",
        "ht": "Fini %(day)s",
    },
    "In force until %(day)s": {
        "es": "Vigente hasta el %(day)s",
        "pt_BR": "Em vigor até %(day)s",
        "ht": "Valab jiska %(day)s",
    },
    "The consent is revoked from now on.": {
        "es": "El consentimiento queda revocado a partir de ahora.",
        "pt_BR": "O consentimento está revogado a partir de agora.",
        "ht": "Otorizasyon an anile apati kounye a.",
    },
    "The roster has no e-mail address for this student.": {
        "es": "La lista del distrito no tiene una dirección de correo electrónico para este estudiante.",
        "pt_BR": "O cadastro não tem um endereço de e-mail para este aluno.",
        "ht": "Lis distri a pa gen adrès imèl pou elèv sa a.",
    },
    "This student already has a portal account.": {
        "es": "Este estudiante ya tiene una cuenta en el portal.",
        "pt_BR": "Este aluno já tem uma conta no portal.",
        "ht": "Elèv sa a gen yon kont nan pòtay la deja.",
    },
    "As the student, whose record it is": {
        "es": "Como el estudiante, titular del expediente",
        "pt_BR": "Como o aluno, titular do registro",
        "ht": "Kòm elèv la, ki se dosye pa l",
    },
    "Back to the record": {
        "es": "Volver al expediente",
        "pt_BR": "Voltar ao registro",
        "ht": "Retounen nan dosye a",
    },
    "Your answer on file": {
        "es": "Su respuesta registrada",
        "pt_BR": "Sua resposta registrada",
        "ht": "Repons ou ki nan dosye a",
    },
    "Your answers on file": {
        "es": "Sus respuestas registradas",
        "pt_BR": "Suas respostas registradas",
        "ht": "Repons ou yo ki nan dosye a",
    },
    "Media release: %(name)s": {
        "es": "Autorización de uso de imagen y medios: %(name)s",
        "pt_BR": "Autorização de uso de imagem e mídia: %(name)s",
        "ht": "Otorizasyon pou foto, vwa ak travay: %(name)s",
    },
    "%(school)s asks for your permission to use photos, video, voice recordings or student work from one event: %(title)s, on %(day)s.": {
        "es": "%(school)s le pide permiso para usar fotos, videos, grabaciones de voz o trabajos de los estudiantes de un evento: %(title)s, el %(day)s.",
        "pt_BR": "%(school)s pede a sua permissão para usar fotos, vídeos, gravações de voz ou trabalhos dos alunos de um evento: %(title)s, em %(day)s.",
        "ht": "%(school)s mande w pèmisyon pou itilize foto, videyo, anrejistreman vwa oswa travay elèv nan yon sèl aktivite: %(title)s, nan dat %(day)s.",
    },
    "Your school asks for your permission to use photos, video, voice recordings or student work from one event: %(title)s, on %(day)s.": {
        "es": "Su escuela le pide permiso para usar fotos, videos, grabaciones de voz o trabajos de los estudiantes de un evento: %(title)s, el %(day)s.",
        "pt_BR": "A sua escola pede a sua permissão para usar fotos, vídeos, gravações de voz ou trabalhos dos alunos de um evento: %(title)s, em %(day)s.",
        "ht": "Lekòl ou a mande w pèmisyon pou itilize foto, videyo, anrejistreman vwa oswa travay elèv nan yon sèl aktivite: %(title)s, nan dat %(day)s.",
    },
    "The school would use them for:": {
        "es": "La escuela los usaría para:",
        "pt_BR": "A escola os usaria para:",
        "ht": "Lekòl la ta sèvi ak yo pou:",
    },
    "Please answer yes or no for each child below. Until you answer, your child will not appear in media from this event.": {
        "es": "Responda sí o no para cada hijo a continuación. Hasta que responda, su hijo no aparecerá en imágenes ni grabaciones de este evento.",
        "pt_BR": "Responda sim ou não para cada filho abaixo. Até você responder, seu filho ou filha não aparecerá em imagens ou gravações deste evento.",
        "ht": "Tanpri reponn wi oswa non pou chak pitit ki anba a. Jiskaske ou reponn, pitit ou p ap parèt nan foto, videyo ak anrejistreman aktivite sa a.",
    },
    "Your answer applies to this event only. Your yearly media release choices do not change.": {
        "es": "Su respuesta se aplica solo a este evento. Sus decisiones anuales de autorización de uso de imagen y medios no cambian.",
        "pt_BR": "A sua resposta vale somente para este evento. As suas escolhas anuais de autorização de uso de imagem e mídia não mudam.",
        "ht": "Repons ou a valab pou aktivite sa a sèlman. Chwa ou fè pou otorizasyon foto, vwa ak travay pou ane a pa chanje.",
    },
    "Permission asked for photos at one event: %(title)s": {
        "es": "Se pide permiso para fotos en un evento: %(title)s",
        "pt_BR": "Pedido de permissão para fotos em um evento: %(title)s",
        "ht": "Yo mande pèmisyon pou foto nan yon aktivite: %(title)s",
    },
    # Who and what, in the family's log: role names and ledger actions.
    "privacy officer": {
        "es": "responsable de privacidad",
        "pt_BR": "responsável pela privacidade",
        "ht": "responsab vi prive",
    },
    "principal": {
        "es": "director de la escuela",
        "pt_BR": "diretor da escola",
        "ht": "direktè lekòl",
    },
    "teacher": {"es": "maestro", "pt_BR": "professor", "ht": "pwofesè"},
    "counselor": {"es": "consejero", "pt_BR": "orientador", "ht": "konseye"},
    "nurse": {"es": "enfermera escolar", "pt_BR": "enfermeiro escolar", "ht": "enfimyè lekòl"},
    "special-education staff": {
        "es": "personal de educación especial",
        "pt_BR": "equipe de educação especial",
        "ht": "anplwaye edikasyon espesyal",
    },
    "guardian": {"es": "tutor", "pt_BR": "responsável", "ht": "responsab"},
    "student": {"es": "estudiante", "pt_BR": "aluno", "ht": "elèv"},
    "read": {"es": "consulta", "pt_BR": "consulta", "ht": "konsiltasyon"},
    "create": {"es": "creación", "pt_BR": "criação", "ht": "kreyasyon"},
    "change": {"es": "cambio", "pt_BR": "alteração", "ht": "chanjman"},
    "delete": {"es": "eliminación", "pt_BR": "exclusão", "ht": "efase"},
    "release / disclosure": {
        "es": "entrega / divulgación",
        "pt_BR": "entrega / divulgação",
        "ht": "bay / pataje",
    },
    "export": {"es": "exportación", "pt_BR": "exportação", "ht": "ekspòtasyon"},
    "consent": {"es": "consentimiento", "pt_BR": "consentimento", "ht": "otorizasyon"},
    "login": {"es": "inicio de sesión", "pt_BR": "acesso", "ht": "koneksyon"},
    "failed login": {
        "es": "inicio de sesión fallido",
        "pt_BR": "tentativa de acesso falha",
        "ht": "koneksyon ki echwe",
    },
    "logout": {"es": "cierre de sesión", "pt_BR": "saída", "ht": "dekoneksyon"},
    "security event": {
        "es": "evento de seguridad",
        "pt_BR": "evento de segurança",
        "ht": "evènman sekirite",
    },
    "retention destruction": {
        "es": "destrucción por plazo de conservación",
        "pt_BR": "eliminação por prazo de guarda",
        "ht": "destriksyon apre tan konsèvasyon an",
    },
    "checkpoint": {"es": "punto de control", "pt_BR": "ponto de controle", "ht": "pwen kontwòl"},
}

# The record parts: their names (the data catalog's scopes) and the words of their templates.
PARTS: dict[str, dict[str, Text]] = {
    "Directory": {
        "es": "Datos del directorio",
        "pt_BR": "Dados de diretório",
        "ht": "Enfòmasyon anyè",
    },
    "Student contact": {
        "es": "Contacto del estudiante",
        "pt_BR": "Contato do aluno",
        "ht": "Kontak elèv la",
    },
    "Demographics": {
        "es": "Datos demográficos",
        "pt_BR": "Dados demográficos",
        "ht": "Enfòmasyon demografik",
    },
    "Enrollment and schedule": {
        "es": "Matrícula y horario",
        "pt_BR": "Matrícula e horário",
        "ht": "Enskripsyon ak orè",
    },
    "Attendance": {"es": "Asistencia", "pt_BR": "Frequência", "ht": "Prezans"},
    "Grades and transcript": {
        "es": "Calificaciones y certificado de estudios",
        "pt_BR": "Notas e histórico escolar",
        "ht": "Nòt ak relve nòt",
    },
    "Assessments": {"es": "Evaluaciones", "pt_BR": "Avaliações", "ht": "Evalyasyon"},
    "Discipline": {"es": "Disciplina", "pt_BR": "Disciplina", "ht": "Disiplin"},
    "Health": {"es": "Salud", "pt_BR": "Saúde", "ht": "Sante"},
    "Special education (IEP/504)": {
        "es": "Educación especial (IEP/504)",
        "pt_BR": "Educação especial (IEP/504)",
        "ht": "Edikasyon espesyal (IEP/504)",
    },
    "Special indicators": {
        "es": "Indicadores especiales",
        "pt_BR": "Indicadores especiais",
        "ht": "Endikatè espesyal",
    },
    "Student work": {
        "es": "Trabajos del estudiante",
        "pt_BR": "Trabalhos do aluno",
        "ht": "Travay elèv la",
    },
    "Parents and guardians": {
        "es": "Padres y tutores",
        "pt_BR": "Pais e responsáveis",
        "ht": "Paran ak responsab",
    },
    "Accommodations summary": {
        "es": "Resumen de adaptaciones",
        "pt_BR": "Resumo das adaptações",
        "ht": "Rezime amenajman yo",
    },
    "Student number": {
        "es": "Número de estudiante",
        "pt_BR": "Número do aluno",
        "ht": "Nimewo elèv",
    },
    "Note": {"es": "Nota", "pt_BR": "Observação", "ht": "Nòt"},
    "Username": {"es": "Nombre de usuario", "pt_BR": "Nome de usuário", "ht": "Non itilizatè"},
    "Date of birth": {
        "es": "Fecha de nacimiento",
        "pt_BR": "Data de nascimento",
        "ht": "Dat nesans",
    },
    "Sex": {"es": "Sexo", "pt_BR": "Sexo", "ht": "Sèks"},
    "English learner": {
        "es": "Estudiante de inglés",
        "pt_BR": "Aluno aprendiz de inglês",
        "ht": "Elèv k ap aprann angle",
    },
    "Low income": {"es": "Bajos ingresos", "pt_BR": "Baixa renda", "ht": "Ti revni"},
    "Health alert": {"es": "Alerta de salud", "pt_BR": "Alerta de saúde", "ht": "Alèt sante"},
    "Class": {"es": "Clase", "pt_BR": "Turma", "ht": "Klas"},
    "Emergency contact": {
        "es": "Contacto de emergencia",
        "pt_BR": "Contato de emergência",
        "ht": "Kontak an ka ijans",
    },
    "Grade": {"es": "Grado", "pt_BR": "Série", "ht": "Ane"},
    "Assessment": {"es": "Evaluación", "pt_BR": "Avaliação", "ht": "Evalyasyon"},
    "Scale score": {
        "es": "Puntuación en escala",
        "pt_BR": "Pontuação na escala",
        "ht": "Nòt sou echèl",
    },
    "Performance level": {
        "es": "Nivel de desempeño",
        "pt_BR": "Nível de desempenho",
        "ht": "Nivo pèfòmans",
    },
    "Action taken": {"es": "Medida tomada", "pt_BR": "Medida tomada", "ht": "Aksyon yo pran"},
    "Reported by": {"es": "Informado por", "pt_BR": "Relatado por", "ht": "Moun ki rapòte l"},
    "Disability category": {
        "es": "Categoría de discapacidad",
        "pt_BR": "Categoria de deficiência",
        "ht": "Kategori andikap",
    },
    "Case manager": {
        "es": "Coordinador del caso",
        "pt_BR": "Coordenador do caso",
        "ht": "Responsab dosye a",
    },
    "Name": {"es": "Nombre", "pt_BR": "Nome", "ht": "Non"},
    "IEP": {
        "es": "IEP (programa de educación individualizado)",
        "pt_BR": "IEP (programa de educação individualizado)",
        "ht": "IEP (pwogram edikasyon endividyèl)",
    },
    "Section 504 plan": {
        "es": "Plan de la Sección 504",
        "pt_BR": "Plano da Seção 504",
        "ht": "Plan Seksyon 504",
    },
    "Status": {"es": "Estado", "pt_BR": "Situação", "ht": "Sitiyasyon"},
    "None.": {"es": "Ninguno.", "pt_BR": "Nenhum.", "ht": "Okenn."},
    "No accommodations in effect.": {
        "es": "No hay adaptaciones vigentes.",
        "pt_BR": "Nenhuma adaptação em vigor.",
        "ht": "Pa gen okenn amenajman k ap aplike kounye a.",
    },
    "Date": {"es": "Fecha", "pt_BR": "Data", "ht": "Dat"},
    "No assessment results on file.": {
        "es": "No hay resultados de evaluaciones registrados.",
        "pt_BR": "Nenhum resultado de avaliação registrado.",
        "ht": "Pa gen rezilta evalyasyon nan dosye a.",
    },
    "%(n)s day absent, tardy or dismissed early; every other school day the student was present.": {
        "es": (
            "%(n)s día de ausencia, tardanza o salida temprana; todos los demás días de clase el estudiante estuvo presente.",
            "%(n)s días de ausencia, tardanza o salida temprana; todos los demás días de clase el estudiante estuvo presente.",
        ),
        "pt_BR": (
            "%(n)s dia de falta, atraso ou saída antecipada; em todos os outros dias letivos o aluno esteve presente.",
            "%(n)s dias de falta, atraso ou saída antecipada; em todos os outros dias letivos o aluno esteve presente.",
        ),
        "ht": (
            "%(n)s jou absan, an reta oswa ki te kite bonè; tout lòt jou lekòl yo elèv la te la.",
            "%(n)s jou absan, an reta oswa ki te kite bonè; tout lòt jou lekòl yo elèv la te la.",
        ),
    },
    "School": {"es": "Escuela", "pt_BR": "Escola", "ht": "Lekòl"},
    "E-mail": {"es": "Correo electrónico", "pt_BR": "E-mail", "ht": "Imèl"},
    "Phone": {"es": "Teléfono", "pt_BR": "Telefone", "ht": "Telefòn"},
    "Text messages": {"es": "Mensajes de texto", "pt_BR": "Mensagens de texto", "ht": "Mesaj tèks"},
    "Hispanic or Latino": {
        "es": "Hispano o latino",
        "pt_BR": "Hispânico ou latino",
        "ht": "Panyòl oswa Latino",
    },
    "Race": {"es": "Raza", "pt_BR": "Raça", "ht": "Ras"},
    "American Indian or Alaska Native": {
        "es": "Indígena americano o nativo de Alaska",
        "pt_BR": "Indígena americano ou nativo do Alasca",
        "ht": "Endyen Ameriken oswa Natif Alaska",
    },
    "Asian": {"es": "Asiático", "pt_BR": "Asiático", "ht": "Azyatik"},
    "Black or African American": {
        "es": "Negro o afroamericano",
        "pt_BR": "Negro ou afro-americano",
        "ht": "Nwa oswa Afwo-Ameriken",
    },
    "Native Hawaiian or Other Pacific Islander": {
        "es": "Nativo de Hawái o de otras islas del Pacífico",
        "pt_BR": "Nativo do Havaí ou de outras ilhas do Pacífico",
        "ht": "Natif Awayi oswa lòt zile Pasifik",
    },
    "White": {"es": "Blanco", "pt_BR": "Branco", "ht": "Blan"},
    "Two or more races": {
        "es": "Dos o más razas",
        "pt_BR": "Duas ou mais raças",
        "ht": "De ras oswa plis",
    },
    "Place of birth": {
        "es": "Lugar de nacimiento",
        "pt_BR": "Local de nascimento",
        "ht": "Kote li fèt",
    },
    "No demographics on file.": {
        "es": "No hay datos demográficos registrados.",
        "pt_BR": "Nenhum dado demográfico registrado.",
        "ht": "Pa gen enfòmasyon demografik nan dosye a.",
    },
    "Preferred name": {"es": "Nombre preferido", "pt_BR": "Nome preferido", "ht": "Non li prefere"},
    "Incident": {"es": "Incidente", "pt_BR": "Ocorrência", "ht": "Ensidan"},
    "Description": {"es": "Descripción", "pt_BR": "Descrição", "ht": "Deskripsyon"},
    "No incidents on file.": {
        "es": "No hay incidentes registrados.",
        "pt_BR": "Nenhuma ocorrência registrada.",
        "ht": "Pa gen ensidan nan dosye a.",
    },
    "Schools": {"es": "Escuelas", "pt_BR": "Escolas", "ht": "Lekòl yo"},
    "None": {"es": "Ninguna", "pt_BR": "Nenhuma", "ht": "Okenn"},
    "Classes": {"es": "Clases", "pt_BR": "Turmas", "ht": "Klas yo"},
    "Period": {"es": "Periodo", "pt_BR": "Horário", "ht": "Peryòd"},
    "From": {"es": "Desde", "pt_BR": "De", "ht": "Depi"},
    "To": {"es": "Hasta", "pt_BR": "Até", "ht": "Jiska"},
    "Counselors and case managers": {
        "es": "Consejeros y coordinadores de casos",
        "pt_BR": "Orientadores e coordenadores de caso",
        "ht": "Konseye ak responsab dosye",
    },
    "Only the grades of the classes you teach.": {
        "es": "Solo las calificaciones de las clases que usted enseña.",
        "pt_BR": "Somente as notas das turmas em que você leciona.",
        "ht": "Sèlman nòt klas ou anseye yo.",
    },
    "Term": {"es": "Periodo escolar", "pt_BR": "Período letivo", "ht": "Trimès"},
    "Mark": {"es": "Calificación", "pt_BR": "Nota", "ht": "Nòt"},
    "Percent": {"es": "Porcentaje", "pt_BR": "Porcentagem", "ht": "Pousantaj"},
    "Credits": {"es": "Créditos", "pt_BR": "Créditos", "ht": "Kredi"},
    "Comment": {"es": "Comentario", "pt_BR": "Comentário", "ht": "Kòmantè"},
    "interim": {"es": "provisional", "pt_BR": "parcial", "ht": "pwovizwa"},
    "No grades on file.": {
        "es": "No hay calificaciones registradas.",
        "pt_BR": "Nenhuma nota registrada.",
        "ht": "Pa gen nòt nan dosye a.",
    },
    "Relationship": {"es": "Parentesco", "pt_BR": "Parentesco", "ht": "Relasyon"},
    "Notes": {"es": "Notas", "pt_BR": "Observações", "ht": "Nòt"},
    "Access restricted by a legal document": {
        "es": "Acceso restringido por un documento legal",
        "pt_BR": "Acesso restrito por um documento legal",
        "ht": "Yon dokiman legal limite aksè a",
    },
    "Non-custodial": {"es": "Sin custodia", "pt_BR": "Sem guarda", "ht": "San gad"},
    "(ended)": {"es": "(terminado)", "pt_BR": "(encerrado)", "ht": "(fini)"},
    "None on file.": {
        "es": "No hay ninguno registrado.",
        "pt_BR": "Nenhum registrado.",
        "ht": "Pa gen anyen nan dosye a.",
    },
    "Alerts": {"es": "Alertas", "pt_BR": "Alertas", "ht": "Alèt"},
    "Nurse's notes": {
        "es": "Notas de la enfermera",
        "pt_BR": "Anotações da enfermaria",
        "ht": "Nòt enfimyè a",
    },
    "Summary": {"es": "Resumen", "pt_BR": "Resumo", "ht": "Rezime"},
    "No IEP or 504 plan on file.": {
        "es": "No hay ningún IEP ni plan 504 registrado.",
        "pt_BR": "Nenhum IEP ou plano 504 registrado.",
        "ht": "Pa gen IEP ni plan 504 nan dosye a.",
    },
    "Homeless": {"es": "Sin hogar", "pt_BR": "Em situação de rua", "ht": "San kay"},
    "Foster care": {
        "es": "Cuidado temporal (foster care)",
        "pt_BR": "Acolhimento familiar",
        "ht": "Fanmi akèy",
    },
    "No indicators on file.": {
        "es": "No hay indicadores registrados.",
        "pt_BR": "Nenhum indicador registrado.",
        "ht": "Pa gen endikatè nan dosye a.",
    },
    "No student work on file.": {
        "es": "No hay trabajos del estudiante registrados.",
        "pt_BR": "Nenhum trabalho do aluno registrado.",
        "ht": "Pa gen travay elèv nan dosye a.",
    },
}
